import * as tf from '@tensorflow/tfjs-core';

/** A fully connected layer's parameters; the weight is stored [in, out] (the transpose of PyTorch's). */
export interface LinearParameters {
  weight: tf.Variable;
  bias: tf.Variable;
}

/** y = x W + b over the last axis of x (any rank >= 2), via one 2-D matMul. */
export function linear(x: tf.Tensor, layer: LinearParameters): tf.Tensor {
  return tf.tidy(() => {
    const inputWidth = layer.weight.shape[0] ?? 0;
    const outputWidth = layer.weight.shape[1] ?? 0;
    const leading = x.shape.slice(0, -1);
    const flat = tf.reshape(x, [-1, inputWidth]);
    const out = tf.add(tf.matMul(flat as tf.Tensor2D, layer.weight as tf.Tensor2D), layer.bias);
    return tf.reshape(out, [...leading, outputWidth]);
  });
}
