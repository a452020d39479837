import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { fillPadding, meanOverContributingLists, nonEmptyLists, safeDivide, safeSqrt } from './masking.js';
import type { LossDefinition, RankingLoss } from './ranking-loss.js';
import { assertLossInputs } from './validate-inputs.js';

export const pointwiseRMSEOptionsSchema = z.strictObject({
  /** Highest grade: predictions are levels * sigmoid(score), so they span the label range [0, levels]. */
  levels: z.number().positive(),
  /** 'sigmoid' (default): prediction = levels * sigmoid(score); 'identity': levels * score, as allRank without postprocessing. */
  scoreTransform: z.enum(['sigmoid', 'identity']).default('sigmoid'),
});
export type PointwiseRMSEOptions = z.output<typeof pointwiseRMSEOptionsSchema>;

/**
 * Pointwise RMSE (allRank's pointwise_rmse): per list, the root mean squared error between the labels and
 * levels * transform(score) over its real items; the mean over non-empty lists.
 */
export function pointwiseRMSEValue(
  scores: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: PointwiseRMSEOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const s = fillPadding(scores, mask, 0);
    const predictions = tf.mul(options.scoreTransform === 'sigmoid' ? tf.sigmoid(s) : s, options.levels);
    const errors = fillPadding(tf.sub(labels, predictions) as tf.Tensor2D, mask, 0);
    const meanSquared = safeDivide(tf.sum(tf.square(errors), 1), tf.sum(mask, 1));
    return meanOverContributingLists(safeSqrt(meanSquared) as tf.Tensor1D, nonEmptyLists(mask));
  });
}

export const pointwiseRMSELoss: LossDefinition<typeof pointwiseRMSEOptionsSchema> = {
  name: 'pointwiseRMSE',
  options: pointwiseRMSEOptionsSchema,
  create(options: PointwiseRMSEOptions): RankingLoss {
    return {
      name: 'pointwiseRMSE',
      outputs: 1,
      // Zero at a perfect fit, which is attainable for grades strictly inside (0, levels).
      canBeNonPositive: true,
      compute(scores, labels, mask) {
        assertLossInputs('pointwiseRMSE', 1, scores, labels, mask);
        return pointwiseRMSEValue(scores as tf.Tensor2D, labels, mask, options);
      },
    };
  },
};
