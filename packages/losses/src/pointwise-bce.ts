import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { fillPadding, meanOverContributingLists, nonEmptyLists, realItems } from './masking.js';
import type { LossDefinition, RankingLoss } from './ranking-loss.js';
import { assertLossInputs } from './validate-inputs.js';

export const pointwiseBCEOptionsSchema = z.strictObject({
  /** Labels are divided by this and clipped to [0, 1] to give the target probability (1 for 0/1 labels). */
  maxLabel: z.number().positive().default(1),
});
export type PointwiseBCEOptions = z.output<typeof pointwiseBCEOptionsSchema>;

/**
 * Pointwise binary cross-entropy (allRank's `bce`): scores are logits of relevance; target = clip(y / maxLabel,
 * 0, 1). Each list contributes the sum over its real items; the result is the mean over non-empty lists
 * (allRank's reduction).
 */
export function pointwiseBCEValue(
  scores: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: PointwiseBCEOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const logits = fillPadding(scores, mask, 0);
    const targets = tf.clipByValue(tf.div(fillPadding(labels, mask, 0), options.maxLabel), 0, 1);
    // BCE with logits: softplus(x) - x * t (stable, unlike log(sigmoid(x))).
    const crossEntropy = tf.sub(tf.softplus(logits), tf.mul(logits, targets));
    const perList = tf.sum(
      tf.where(realItems(mask), crossEntropy, tf.zerosLike(crossEntropy)),
      1,
    ) as tf.Tensor1D;
    return meanOverContributingLists(perList, nonEmptyLists(mask));
  });
}

export const pointwiseBCELoss: LossDefinition<typeof pointwiseBCEOptionsSchema> = {
  name: 'pointwiseBCE',
  options: pointwiseBCEOptionsSchema,
  create(options: PointwiseBCEOptions): RankingLoss {
    return {
      name: 'pointwiseBCE',
      outputs: 1,
      canBeNonPositive: false,
      compute(scores, labels, mask) {
        assertLossInputs('pointwiseBCE', 1, scores, labels, mask);
        return pointwiseBCEValue(scores as tf.Tensor2D, labels, mask, options);
      },
    };
  },
};
