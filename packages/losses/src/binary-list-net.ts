import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { allRankCompatOption, allRankLogSoftmax } from './allrank-compat.js';
import {
  fillPadding,
  maskedLogSoftmax,
  meanOverContributingLists,
  nonEmptyLists,
  safeDivide,
} from './masking.js';
import type { LossDefinition, RankingLoss } from './ranking-loss.js';
import { assertLossInputs } from './validate-inputs.js';

export const binaryListNetOptionsSchema = z.strictObject({
  /**
   * 'allrank': log(softmax + 1e-10), and lists whose labels sum to 0 count in the mean with their 0, as
   * allRank's binary_listNet.
   */
  compat: allRankCompatOption,
});
export type BinaryListNetOptions = z.output<typeof binaryListNetOptionsSchema>;

/**
 * Binary ListNet (allRank's binary_listNet): cross-entropy between labels normalised to sum 1 and
 * softmax(scores). Meant for 0/1 labels (clicks). Lists whose labels sum to 0 have nothing to learn: they
 * contribute 0 and are left out of the mean.
 */
export function binaryListNetValue(
  scores: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: BinaryListNetOptions = {},
): tf.Scalar {
  return tf.tidy(() => {
    const compat = options.compat === 'allrank';
    const y = fillPadding(labels, mask, 0);
    const labelSums = tf.sum(y, 1, true);
    const target = safeDivide(y, labelSums);
    const logPredicted = compat ? allRankLogSoftmax(scores, mask) : maskedLogSoftmax(scores, mask);
    const perList = tf.neg(tf.sum(tf.mul(target, logPredicted), 1)) as tf.Tensor1D;
    const contributes = compat
      ? nonEmptyLists(mask)
      : (tf.cast(tf.greater(tf.squeeze(labelSums, [1]), 0), 'float32') as tf.Tensor1D);
    return meanOverContributingLists(perList, contributes);
  });
}

export const binaryListNetLoss: LossDefinition<typeof binaryListNetOptionsSchema> = {
  name: 'binaryListNet',
  options: binaryListNetOptionsSchema,
  create(options: BinaryListNetOptions): RankingLoss {
    return {
      name: 'binaryListNet',
      outputs: 1,
      canBeNonPositive: false,
      compute(scores, labels, mask) {
        assertLossInputs('binaryListNet', 1, scores, labels, mask);
        return binaryListNetValue(scores as tf.Tensor2D, labels, mask, options);
      },
    };
  },
};
