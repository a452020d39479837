import { defineLoss, LOSS_CONTRACT_VERSION } from '@mtl2r/losses';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';

/**
 * Pairwise squared hinge: for every pair of real items (i, j) of a list with label_i > label_j,
 * max(0, margin - (s_i - s_j))^2; the mean over a list's pairs, then over the lists that have a pair.
 * Padded items are replaced by 0 before any arithmetic (they may hold NaN junk) and belong to no pair, so
 * they change nothing and get zero gradient, as the loss conformance suite checks.
 */
export const squaredHinge = defineLoss({
  name: 'squaredHinge',
  contractVersion: LOSS_CONTRACT_VERSION,
  packageName: 'mtl2r-strategy-unitnorm',
  description: 'pairwise squared hinge on score gaps (example third-party loss)',
  options: z.strictObject({ margin: z.number().positive().default(1) }),
  create: (options) => ({
    name: 'squaredHinge',
    outputs: 1,
    canBeNonPositive: true, // 0 once every pair is ordered by the margin
    compute: (scores, labels, mask) =>
      tf.tidy(() => {
        const real = tf.greater(mask, 0);
        const s = tf.where(real, scores as tf.Tensor2D, tf.zerosLike(scores as tf.Tensor2D));
        const y = tf.where(real, labels, tf.zerosLike(labels));
        const gaps = tf.sub(tf.expandDims(s, 2), tf.expandDims(s, 1)); // [B, L, L]: s_i - s_j
        const ordered = tf.cast(tf.greater(tf.expandDims(y, 2), tf.expandDims(y, 1)), 'float32');
        const pairs = tf.mul(ordered, tf.mul(tf.expandDims(mask, 2), tf.expandDims(mask, 1)));
        const hinge = tf.square(tf.relu(tf.sub(options.margin, gaps)));
        const pairCounts = tf.sum(pairs, [1, 2]);
        const perList = tf.div(tf.sum(tf.mul(hinge, pairs), [1, 2]), tf.maximum(pairCounts, 1));
        const contributing = tf.cast(tf.greater(pairCounts, 0), 'float32');
        return tf.div(
          tf.sum(tf.mul(perList, contributing)),
          tf.maximum(tf.sum(contributing), 1),
        ) as tf.Scalar;
      }),
  }),
});

export default squaredHinge;
