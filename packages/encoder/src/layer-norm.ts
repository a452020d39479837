import * as tf from '@tensorflow/tfjs-core';
import type { LayerNormKind } from './config.js';

/** PyTorch nn.LayerNorm's default epsilon (inside the square root). */
export const STANDARD_LAYER_NORM_EPSILON = 1e-5;
/** allRank's LayerNorm epsilon (added to the standard deviation). */
export const ALLRANK_LAYER_NORM_EPSILON = 1e-6;

/**
 * LayerNorm over the last axis.
 * - `standard`: gamma * (x - mean) / sqrt(var + 1e-5) + beta, biased variance (PyTorch nn.LayerNorm).
 * - `allrank`: gamma * (x - mean) / (std + 1e-6) + beta with the unbiased std (allRank's custom LayerNorm).
 */
export function layerNorm(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  kind: LayerNormKind,
): tf.Tensor {
  return tf.tidy(() => {
    const width = x.shape[x.shape.length - 1] ?? 0;
    const axis = x.rank - 1;
    const centred = tf.sub(x, tf.mean(x, axis, true));
    const sumOfSquares = tf.sum(tf.square(centred), axis, true);
    let normalised: tf.Tensor;
    if (kind === 'standard') {
      normalised = tf.mul(
        centred,
        tf.rsqrt(tf.add(tf.div(sumOfSquares, width), STANDARD_LAYER_NORM_EPSILON)),
      );
    } else {
      if (width < 2) throw new RangeError('allrank LayerNorm needs at least 2 features (unbiased std)');
      const std = tf.sqrt(tf.div(sumOfSquares, width - 1));
      normalised = tf.div(centred, tf.add(std, ALLRANK_LAYER_NORM_EPSILON));
    }
    return tf.add(tf.mul(normalised, gamma), beta);
  });
}
