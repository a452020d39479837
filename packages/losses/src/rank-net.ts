import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { fillPadding, pairDifferences, preferredPairs, reducePairLosses } from './masking.js';
import type { LossDefinition, RankingLoss } from './ranking-loss.js';
import { assertLossInputs } from './validate-inputs.js';

export const rankNetOptionsSchema = z.strictObject({
  /** Pair weight: 1, |y_i - y_j| (allRank's rankNet_weightByGTDiff) or |y_i^2 - y_j^2| (rankNet_weightByGTDiff_pow). */
  weighting: z.enum(['none', 'labelDiff', 'squaredLabelDiff']).default('none'),
  /** Scale of the score difference inside the logistic. */
  sigma: z.number().positive().default(1),
  reduction: z.enum(['mean', 'sum']).default('mean'),
});
export type RankNetOptions = z.output<typeof rankNetOptionsSchema>;

/**
 * RankNet (Burges et al. 2005): logistic loss log(1 + exp(-sigma (s_i - s_j))) over the real pairs with
 * y_i > y_j, optionally weighted by the label difference. 'mean' divides the weighted sum by the number of
 * pairs in the batch (as allRank's BCEWithLogitsLoss with weights).
 */
export function rankNetValue(
  scores: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: RankNetOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const pairs = preferredPairs(labels, mask);
    const y = fillPadding(labels, mask, 0);
    // Weights depend on labels only; zero outside the pairs, so one multiply selects and weights.
    const weightedPairs =
      options.weighting === 'labelDiff'
        ? tf.mul(tf.abs(pairDifferences(y)), pairs)
        : options.weighting === 'squaredLabelDiff'
          ? tf.mul(tf.abs(pairDifferences(tf.square(y) as tf.Tensor2D)), pairs)
          : pairs;
    const scoreGaps = pairDifferences(fillPadding(scores, mask, 0));
    const logistic = tf.softplus(tf.mul(scoreGaps, -options.sigma));
    return reducePairLosses(tf.mul(weightedPairs, logistic) as tf.Tensor3D, pairs, options.reduction);
  });
}

export const rankNetLoss: LossDefinition<typeof rankNetOptionsSchema> = {
  name: 'rankNet',
  options: rankNetOptionsSchema,
  create(options: RankNetOptions): RankingLoss {
    return {
      name: 'rankNet',
      outputs: 1,
      canBeNonPositive: false,
      compute(scores, labels, mask) {
        assertLossInputs('rankNet', 1, scores, labels, mask);
        return rankNetValue(scores as tf.Tensor2D, labels, mask, options);
      },
    };
  },
};
