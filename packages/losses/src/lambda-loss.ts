import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ALLRANK_EPS, allRankCompatOption } from './allrank-compat.js';
import {
  fillPadding,
  pairDifferences,
  preferredPairs,
  realPairs,
  reducePairLosses,
  safeDivide,
} from './masking.js';
import type { LossDefinition, RankingLoss } from './ranking-loss.js';
import { descendingRanks, discountOfRank, gains, idealDcg } from './ranks.js';
import { assertLossInputs } from './validate-inputs.js';
import { withoutGradient } from './without-gradient.js';

export const LAMBDA_LOSS_WEIGHTINGS = [
  'ndcgLoss1',
  'ndcgLoss2',
  'ndcgLoss2++',
  'lambdaRank',
  'rankNet',
  'rankNetLabelDiff',
  'rankNetSquaredLabelDiff',
] as const;
export type LambdaLossWeighting = (typeof LAMBDA_LOSS_WEIGHTINGS)[number];

export const lambdaLossOptionsSchema = z.strictObject({
  weighting: z.enum(LAMBDA_LOSS_WEIGHTINGS).default('ndcgLoss2++'),
  /** Scale of the score difference inside the logistic. */
  sigma: z.number().positive().default(1),
  /** Weight of the NDCGLoss2 term in 'ndcgLoss2++'. */
  mu: z.number().nonnegative().default(10),
  /** Truncation: only pairs whose predicted ranks are both <= k count, and the ideal DCG is DCG@k. null: none. */
  k: z.number().int().positive().nullable().default(null),
  reduction: z.enum(['mean', 'sum']).default('mean'),
  /** Logarithm of the pair losses: 'binary' (log2, the paper's and allRank's default) or 'natural' (ln). */
  reductionLog: z.enum(['binary', 'natural']).default('binary'),
  /**
   * 'allrank': allRank's lambdaLoss exactly: sigmoid clamped at >= 1e-10, sigmoid^weight clamped at >= 1e-10
   * (so a pair's loss is capped at -log2(1e-10) = 33.2 with zero gradient beyond), and 'sum' as the plain
   * sum over every pair of the batch.
   */
  compat: allRankCompatOption,
});
export type LambdaLossOptions = z.output<typeof lambdaLossOptionsSchema>;

/**
 * 1 / log2(1 + d) - 1 / log2(2 + d) for rank distances d (NDCGLoss2's delta), 0 for d = 0 (the diagonal, where
 * 1 / log2(1) is infinite). Distances are whole numbers below L, so the deltas come from an [L] table by one
 * gather instead of a chain of elementwise ops on [B, L, L].
 */
function rankDistanceDelta(distance: tf.Tensor3D): tf.Tensor {
  const length = distance.shape[1];
  const d = tf.range(1, length, 1, 'float32');
  const table = tf.concat([tf.zeros([1]), tf.abs(tf.sub(discountOfRank(d), discountOfRank(tf.add(d, 1))))]);
  return tf.gather(table, tf.cast(distance, 'int32'));
}

/**
 * The pair weights of the LambdaLoss framework (Wang et al. 2018) in item space: entry (i, j) is the weight
 * of the pair where item i is the more relevant one. G are gains over the ideal DCG, D the discounts of the
 * predicted ranks (1 / log2(1 + rank)).
 */
function pairWeights(
  weighting: LambdaLossWeighting,
  normalisedGains: tf.Tensor2D,
  rankDiscounts: tf.Tensor2D,
  ranks: tf.Tensor2D,
  labels: tf.Tensor2D,
  mu: number,
): tf.Tensor {
  // Built lazily (only the chosen scheme pays for its [B, L, L] ops) and once ('ndcgLoss2++' uses it twice).
  let gainGapTensor: tf.Tensor | undefined;
  const gainGap = () => {
    gainGapTensor ??= tf.abs(pairDifferences(normalisedGains));
    return gainGapTensor;
  };
  const lambdaRank = () => tf.mul(tf.abs(pairDifferences(rankDiscounts)), gainGap());
  const ndcgLoss2 = () => tf.mul(rankDistanceDelta(tf.abs(pairDifferences(ranks)) as tf.Tensor3D), gainGap());
  switch (weighting) {
    case 'ndcgLoss1':
      return tf.expandDims(tf.mul(normalisedGains, rankDiscounts), 2);
    case 'ndcgLoss2':
      return ndcgLoss2();
    case 'lambdaRank':
      return lambdaRank();
    case 'ndcgLoss2++':
      return tf.add(tf.mul(ndcgLoss2(), mu), lambdaRank());
    case 'rankNet':
      return tf.scalar(1);
    case 'rankNetLabelDiff':
      return tf.abs(pairDifferences(labels));
    case 'rankNetSquaredLabelDiff':
      return tf.abs(pairDifferences(tf.square(labels) as tf.Tensor2D));
  }
}

/**
 * LambdaLoss: sum over pairs of -weight * log2(sigmoid(sigma (s_i - s_j))). Pairs are the real pairs with
 * y_i > y_j ('ndcgLoss1': every real pair, as allRank), restricted to predicted ranks <= k. Ranks come from
 * the scores with ties broken by item index; they carry no gradient, as in allRank's sort.
 */
export function lambdaLossValue(
  scores: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: LambdaLossOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const y = fillPadding(labels, mask, 0);
    const s = fillPadding(scores, mask, 0);
    const ranks = descendingRanks(scores, mask);
    const logScale = options.reductionLog === 'natural' ? 1 : 1 / Math.LN2;
    const labelPairs = options.weighting === 'ndcgLoss1' ? realPairs(mask) : preferredPairs(labels, mask);
    const { k } = options;
    // Rank-derived quantities are constants for backpropagation (allRank sorts, which detaches them too).
    const pairs =
      k === null
        ? labelPairs
        : withoutGradient(scores, () => {
            const inTopK = tf.clipByValue(tf.sub(k + 1, ranks), 0, 1); // 1 for rank <= k (ranks are whole)
            return tf.mul(
              labelPairs,
              tf.mul(tf.expandDims(inTopK, 2), tf.expandDims(inTopK, 1)),
            ) as tf.Tensor3D;
          });
    const weightedPairs = withoutGradient(scores, () => {
      const rankDiscounts = discountOfRank(ranks) as tf.Tensor2D;
      const ideal = tf.expandDims(idealDcg(labels, mask, k, true), 1);
      const normalisedGains = safeDivide(gains(y, true), ideal) as tf.Tensor2D;
      const weights = pairWeights(options.weighting, normalisedGains, rankDiscounts, ranks, y, options.mu);
      // allRank raises the clamped sigmoid to the weight, so its pair losses need the weights unmasked.
      if (options.compat === 'allrank') return tf.mul(weights, tf.onesLike(pairs)) as tf.Tensor3D;
      // Folding 1 / ln 2 in here turns softplus into -log2(sigmoid) at no cost.
      return tf.mul(tf.mul(weights, pairs), logScale) as tf.Tensor3D;
    });
    if (options.compat === 'allrank') return allRankPairLosses(s, weightedPairs, pairs, options, logScale);
    // -log2(sigmoid(x)) = softplus(-x) / ln 2, stable for any x.
    const logistic = tf.softplus(tf.mul(pairDifferences(s), -options.sigma));
    return reducePairLosses(tf.mul(weightedPairs, logistic) as tf.Tensor3D, pairs, options.reduction);
  });
}

/**
 * allRank's pair losses: -log(max(max(sigmoid(sigma gap), eps)^w, eps)), written as
 * -max(w log(max(sigmoid, eps)), log eps) (the same numbers, without forming sigmoid^w), reduced by its mean
 * over the selected pairs or its plain sum over them.
 */
function allRankPairLosses(
  s: tf.Tensor2D,
  weights: tf.Tensor3D,
  pairs: tf.Tensor3D,
  options: LambdaLossOptions,
  logScale: number,
): tf.Scalar {
  const logSigmoid = tf.log(tf.maximum(tf.sigmoid(tf.mul(pairDifferences(s), options.sigma)), ALLRANK_EPS));
  const logWeighted = tf.maximum(tf.mul(weights, logSigmoid), Math.log(ALLRANK_EPS));
  const pairLosses = tf.mul(tf.neg(logWeighted), logScale) as tf.Tensor3D;
  if (options.reduction === 'mean') return reducePairLosses(pairLosses, pairs, 'mean');
  return tf.sum(tf.mul(pairLosses, pairs)) as tf.Scalar;
}

export const lambdaLoss: LossDefinition<typeof lambdaLossOptionsSchema> = {
  name: 'lambdaLoss',
  options: lambdaLossOptionsSchema,
  create(options: LambdaLossOptions): RankingLoss {
    return {
      name: 'lambdaLoss',
      outputs: 1,
      canBeNonPositive: false,
      compute(scores, labels, mask) {
        assertLossInputs('lambdaLoss', 1, scores, labels, mask);
        return lambdaLossValue(scores as tf.Tensor2D, labels, mask, options);
      },
    };
  },
};
