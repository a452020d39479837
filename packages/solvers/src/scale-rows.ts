import * as tf from '@tensorflow/tfjs-core';
import { readRowWeights } from './row-weights.js';

/** diag(s) G: row i multiplied by s_i (e.g. unit-normalising task gradients). The caller owns the result. */
export function scaleRows(grads: tf.Tensor2D, scales: ArrayLike<number>): tf.Tensor2D {
  const factors = readRowWeights(grads, scales, 'scaleRows');
  return tf.tidy(() => tf.mul(grads, tf.tensor2d(factors, [grads.shape[0], 1])));
}
