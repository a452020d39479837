import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { fillPadding, realItems } from './masking.js';
import type { LossDefinition, RankingLoss } from './ranking-loss.js';
import { assertLossInputs } from './validate-inputs.js';

export const ordinalOptionsSchema = z.strictObject({
  /** Number of ordinal levels above 0 (grades 0..n); the model must output n scores per item. */
  n: z.number().int().positive(),
});
export type OrdinalOptions = z.output<typeof ordinalOptionsSchema>;

/**
 * Ordinal loss (allRank's `ordinal`; cumulative link, as in Niu et al. 2016): output t (t = 1..n) is the logit
 * of P(y >= t), trained with binary cross-entropy against [y >= t]. Scores are logits (the sigmoid is applied
 * here, in the stable log-sum-exp form). The value is the sum over the n levels, averaged over the real items
 * of the batch (allRank's reduction).
 */
export function ordinalValue(
  scores: tf.Tensor3D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: OrdinalOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const logits = fillPadding(scores, mask, 0);
    const thresholds = tf.range(1, options.n + 1, 1, 'float32'); // [n]
    const targets = tf.cast(
      tf.greaterEqual(tf.expandDims(fillPadding(labels, mask, 0), 2), thresholds),
      'float32',
    );
    // BCE with logits: softplus(x) - x * t.
    const crossEntropy = tf.sub(tf.softplus(logits), tf.mul(logits, targets));
    const perItem = tf.where(realItems(mask), tf.sum(crossEntropy, 2), tf.zerosLike(mask));
    return tf.div(tf.sum(perItem), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

export const ordinalLoss: LossDefinition<typeof ordinalOptionsSchema> = {
  name: 'ordinal',
  options: ordinalOptionsSchema,
  create(options: OrdinalOptions): RankingLoss {
    return {
      name: 'ordinal',
      outputs: options.n,
      canBeNonPositive: false,
      compute(scores, labels, mask) {
        assertLossInputs('ordinal', options.n, scores, labels, mask);
        const asItems = options.n === 1 && scores.rank === 2 ? tf.expandDims(scores, 2) : scores;
        const value = ordinalValue(asItems as tf.Tensor3D, labels, mask, options);
        if (asItems !== scores) asItems.dispose();
        return value;
      },
    };
  },
};
