import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { allRankCompatOption, allRankLogSoftmax } from './allrank-compat.js';
import { maskedLogSoftmax, maskedSoftmax, meanOverContributingLists, nonEmptyLists } from './masking.js';
import type { LossDefinition, RankingLoss } from './ranking-loss.js';
import { assertLossInputs } from './validate-inputs.js';

export const listNetOptionsSchema = z.strictObject({
  /** 'allrank': log(softmax + 1e-10) as allRank, instead of the exact log-softmax. */
  compat: allRankCompatOption,
});
export type ListNetOptions = z.output<typeof listNetOptionsSchema>;

/**
 * ListNet (Cao et al. 2007), top-one approximation: cross-entropy between softmax(labels) and softmax(scores)
 * over each list's real items. A list contributes when it has a real item; the result is their mean.
 */
export function listNetValue(
  scores: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: ListNetOptions = {},
): tf.Scalar {
  return tf.tidy(() => {
    const target = maskedSoftmax(labels, mask);
    const logPredicted =
      options.compat === 'allrank' ? allRankLogSoftmax(scores, mask) : maskedLogSoftmax(scores, mask);
    // Both factors are 0 at padding, so padded items add nothing.
    const perList = tf.neg(tf.sum(tf.mul(target, logPredicted), 1)) as tf.Tensor1D;
    return meanOverContributingLists(perList, nonEmptyLists(mask));
  });
}

export const listNetLoss: LossDefinition<typeof listNetOptionsSchema> = {
  name: 'listNet',
  options: listNetOptionsSchema,
  create(options: ListNetOptions): RankingLoss {
    return {
      name: 'listNet',
      outputs: 1,
      canBeNonPositive: false,
      compute(scores, labels, mask) {
        assertLossInputs('listNet', 1, scores, labels, mask);
        return listNetValue(scores as tf.Tensor2D, labels, mask, options);
      },
    };
  },
};
