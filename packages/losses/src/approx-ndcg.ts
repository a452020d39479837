import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ALLRANK_EPS, allRankCompatOption } from './allrank-compat.js';
import {
  fillPadding,
  meanOverContributingLists,
  nonEmptyLists,
  offDiagonal,
  pairDifferences,
  realPairs,
  safeDivide,
} from './masking.js';
import type { LossDefinition, RankingLoss } from './ranking-loss.js';
import { gains, idealDcg } from './ranks.js';
import { assertLossInputs } from './validate-inputs.js';

export const approxNDCGOptionsSchema = z.strictObject({
  /** Sharpness of the sigmoid that approximates the rank indicator; larger is closer to true NDCG. */
  alpha: z.number().positive().default(1),
  /**
   * 'allrank': allRank's approxNDCGLoss: each sigmoid clamped at >= 1e-10, the ideal DCG at >= 1e-10, and
   * the mean over every list of the batch (lists without a relevant item add their 0).
   */
  compat: allRankCompatOption,
});
export type ApproxNDCGOptions = z.output<typeof approxNDCGOptionsSchema>;

/**
 * ApproxNDCG (Qin, Liu, Li 2010): NDCG with each item's position replaced by the smooth
 * 1 + sum_{j != i} sigmoid(-alpha (s_i - s_j)), over the whole list (no cut-off). The loss is -ApproxNDCG,
 * in [-1, 0]. Lists without a relevant item (ideal DCG 0) have nothing to learn and are left out of the mean.
 */
export function approxNDCGValue(
  scores: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: ApproxNDCGOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const s = fillPadding(scores, mask, 0);
    const y = fillPadding(labels, mask, 0);
    const otherRealItems = tf.mul(realPairs(mask), offDiagonal(s.shape[1]));
    const compat = options.compat === 'allrank';
    const sigmoids = tf.sigmoid(tf.mul(pairDifferences(s), -options.alpha));
    const beatenBy = compat ? tf.maximum(sigmoids, ALLRANK_EPS) : sigmoids;
    const approxPositions = tf.add(tf.sum(tf.mul(beatenBy, otherRealItems), 2), 1);
    const ideal = idealDcg(labels, mask, null, true);
    // gain / log2(1 + position) = gain * ln 2 / ln(1 + position). Padded items have gain 0 (label filled with 0), so they add nothing to the sum.
    const approxDcg = tf.sum(tf.div(tf.mul(gains(y, true), Math.LN2), tf.log1p(approxPositions)), 1);
    if (compat) {
      // Every list with a real item counts, its 0 included (allRank's batches have no fully padded list).
      const guarded = tf.div(approxDcg, tf.maximum(ideal, ALLRANK_EPS)) as tf.Tensor1D;
      return tf.neg(meanOverContributingLists(guarded, nonEmptyLists(mask)));
    }
    const ndcg = safeDivide(approxDcg, ideal) as tf.Tensor1D;
    const contributes = tf.cast(tf.greater(ideal, 0), 'float32') as tf.Tensor1D;
    return tf.neg(meanOverContributingLists(ndcg, contributes));
  });
}

export const approxNDCGLoss: LossDefinition<typeof approxNDCGOptionsSchema> = {
  name: 'approxNDCG',
  options: approxNDCGOptionsSchema,
  create(options: ApproxNDCGOptions): RankingLoss {
    return {
      name: 'approxNDCG',
      outputs: 1,
      canBeNonPositive: true,
      compute(scores, labels, mask) {
        assertLossInputs('approxNDCG', 1, scores, labels, mask);
        return approxNDCGValue(scores as tf.Tensor2D, labels, mask, options);
      },
    };
  },
};
