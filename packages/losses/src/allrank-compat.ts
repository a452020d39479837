import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { maskedSoftmax, realItems } from './masking.js';

/** allRank's DEFAULT_EPS: the guard it adds inside logarithms and under divisions. */
export const ALLRANK_EPS = 1e-10;

/**
 * `compat: 'allrank'`: reproduce allRank's value and gradient, its eps guards and reductions included, where
 * mtl2r's default differs (each loss's README section says how).
 */
export const allRankCompatOption = z.enum(['allrank']).optional();

/** log(softmax(x) + 1e-10) over each list's real items, 0 at padding: allRank's guarded log-probabilities. */
export function allRankLogSoftmax(x: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(
    () =>
      tf.where(
        realItems(mask),
        tf.log(tf.add(maskedSoftmax(x, mask), ALLRANK_EPS)),
        tf.zerosLike(x),
      ) as tf.Tensor2D,
  );
}
