import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { fillPadding, meanOverContributingLists, safeDivide } from './masking.js';
import { sortingRelaxation } from './neural-sort.js';
import type { LossDefinition, RankingLoss } from './ranking-loss.js';
import { gains, idealDcg, positionDiscounts } from './ranks.js';
import { assertLossInputs } from './validate-inputs.js';

export const neuralNDCGOptionsSchema = z.strictObject({
  /** NeuralSort temperature: smaller is closer to a hard sort (and has steeper gradients). */
  temperature: z.number().positive().default(1),
  /** Gain of a grade: 2^y - 1 ('exponential', allRank's powered_relevancies) or y ('linear'). */
  gain: z.enum(['exponential', 'linear']).default('exponential'),
  /** NDCG cut-off; null: the whole list. */
  k: z.number().int().positive().nullable().default(null),
  /** Most Sinkhorn scaling iterations (allRank's max_iter). */
  sinkhornIterations: z.number().int().nonnegative().default(50),
  /** Stop Sinkhorn early once every column sums to 1 within this (allRank's tol); 0: always run all iterations. */
  sinkhornTolerance: z.number().nonnegative().default(1e-6),
});
export type NeuralNDCGOptions = z.output<typeof neuralNDCGOptionsSchema>;

/** Shared tail of both NeuralNDCG forms: -mean NDCG over lists with a relevant item. */
export function negatedMeanNdcg(
  dcg: tf.Tensor1D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: NeuralNDCGOptions,
  exponentialIdealGain = options.gain === 'exponential',
): tf.Scalar {
  const ideal = idealDcg(labels, mask, options.k, exponentialIdealGain);
  const contributes = tf.cast(tf.greater(ideal, 0), 'float32') as tf.Tensor1D;
  return tf.neg(meanOverContributingLists(safeDivide(dcg, ideal) as tf.Tensor1D, contributes));
}

/**
 * NeuralNDCG (Pobrotyn & Bialobrzeski 2021): NDCG@k computed with the relaxed permutation P from NeuralSort +
 * Sinkhorn. Row form: the gain expected at rank r is sum_j P[r, j] g_j, discounted by 1 / log2(1 + r). The loss
 * is -NDCG, in about [-1, 0]; lists without a relevant item are left out of the mean.
 */
export function neuralNDCGValue(
  scores: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: NeuralNDCGOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const permutation = sortingRelaxation(scores, mask, options.temperature, {
      maxIterations: options.sinkhornIterations,
      tolerance: options.sinkhornTolerance,
    });
    const itemGains = gains(fillPadding(labels, mask, 0), options.gain === 'exponential');
    // Elementwise product and sum over items, not a batched matmul (slow path on wasm, PERF-NOTES trap 1).
    const gainAtRank = tf.sum(tf.mul(permutation, tf.expandDims(itemGains, 1)), 2); // [B, L]
    const dcg = tf.sum(tf.mul(gainAtRank, positionDiscounts(labels.shape[1], options.k)), 1) as tf.Tensor1D;
    return negatedMeanNdcg(dcg, labels, mask, options);
  });
}

export const neuralNDCGLoss: LossDefinition<typeof neuralNDCGOptionsSchema> = {
  name: 'neuralNDCG',
  options: neuralNDCGOptionsSchema,
  create(options: NeuralNDCGOptions): RankingLoss {
    return {
      name: 'neuralNDCG',
      outputs: 1,
      canBeNonPositive: true,
      compute(scores, labels, mask) {
        assertLossInputs('neuralNDCG', 1, scores, labels, mask);
        return neuralNDCGValue(scores as tf.Tensor2D, labels, mask, options);
      },
    };
  },
};
