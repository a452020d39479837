import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import { allRankCompatOption } from './allrank-compat.js';
import { fillPadding } from './masking.js';
import { negatedMeanNdcg, neuralNDCGOptionsSchema } from './neural-ndcg.js';
import { sortingRelaxation } from './neural-sort.js';
import type { LossDefinition, RankingLoss } from './ranking-loss.js';
import { gains, positionDiscounts } from './ranks.js';
import { assertLossInputs } from './validate-inputs.js';

export const neuralNDCGTransposedOptionsSchema = neuralNDCGOptionsSchema.extend({
  /**
   * 'allrank': the ideal DCG with exponential gains whatever `gain` says, as allRank's neuralNDCG_transposed
   * (with `gain: 'linear'` its NDCG then divides a linear-gain DCG by an exponential-gain ideal).
   */
  compat: allRankCompatOption,
});
export type NeuralNDCGTransposedOptions = z.output<typeof neuralNDCGTransposedOptionsSchema>;

/**
 * NeuralNDCG, transposed form (Pobrotyn & Bialobrzeski 2021): each item's expected discount
 * sum_r P[r, j] / log2(1 + r) (zero beyond k) times its own gain. Same options as neuralNDCG. With an exactly
 * doubly stochastic P both forms are the bilinear form d^T P g and agree; they differ in float rounding and
 * in what their gradients emphasise only through that rounding.
 */
export function neuralNDCGTransposedValue(
  scores: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: NeuralNDCGTransposedOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const permutation = sortingRelaxation(scores, mask, options.temperature, {
      maxIterations: options.sinkhornIterations,
      tolerance: options.sinkhornTolerance,
    });
    const rankDiscounts = tf.reshape(positionDiscounts(labels.shape[1], options.k), [1, -1, 1]);
    const expectedDiscounts = tf.sum(tf.mul(permutation, rankDiscounts), 1); // [B, L] per item
    const itemGains = gains(fillPadding(labels, mask, 0), options.gain === 'exponential');
    const dcg = tf.sum(tf.mul(expectedDiscounts, itemGains), 1) as tf.Tensor1D;
    const exponentialIdealGain = options.compat === 'allrank' || options.gain === 'exponential';
    return negatedMeanNdcg(dcg, labels, mask, options, exponentialIdealGain);
  });
}

export const neuralNDCGTransposedLoss: LossDefinition<typeof neuralNDCGTransposedOptionsSchema> = {
  name: 'neuralNDCGTransposed',
  options: neuralNDCGTransposedOptionsSchema,
  create(options: NeuralNDCGTransposedOptions): RankingLoss {
    return {
      name: 'neuralNDCGTransposed',
      outputs: 1,
      canBeNonPositive: true,
      compute(scores, labels, mask) {
        assertLossInputs('neuralNDCGTransposed', 1, scores, labels, mask);
        return neuralNDCGTransposedValue(scores as tf.Tensor2D, labels, mask, options);
      },
    };
  },
};
