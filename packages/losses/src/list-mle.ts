import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ALLRANK_EPS, allRankCompatOption } from './allrank-compat.js';
import {
  fillPadding,
  isPositive,
  isZero,
  meanOverContributingLists,
  nonEmptyLists,
  pairDifferences,
  realItems,
} from './masking.js';
import type { LossCreationSettings, LossDefinition, RankingLoss } from './ranking-loss.js';
import { assertLossInputs } from './validate-inputs.js';
import { withoutGradient } from './without-gradient.js';

export const listMLEOptionsSchema = z.strictObject({
  /** Seed of the tie-break stream; without it the stream derives from the creation rng (or seed 0). */
  seed: z.number().int().optional(),
  /**
   * 'allrank': allRank's guard, log(sum_j exp(s_j - M) + 1e-10) + M with M the list's maximum score, which
   * differs from the exact log-sum-exp once an item's tail sum falls near 1e-10 of exp(M).
   */
  compat: allRankCompatOption,
});
export type ListMLEOptions = z.output<typeof listMLEOptionsSchema>;

/**
 * ListMLE (Xia et al. 2008): the Plackett-Luce negative log-likelihood of the order given by the labels,
 * ties broken at random by `tieBreak` [B, L] (uniform noise; larger goes first). Each list contributes the
 * sum over its real items of log(sum of exp(scores) from that item's position on) - its score; the result is
 * the mean over non-empty lists (allRank's reduction).
 *
 * Vectorised without a sort: item j is "at or after" item i in the label order when
 * (y_j, u_j) <= (y_i, u_i) lexicographically, a [B, L, L] comparison.
 */
export function listMLEValue(
  scores: tf.Tensor2D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  tieBreak: tf.Tensor2D,
  options: Pick<ListMLEOptions, 'compat'> = {},
): tf.Scalar {
  return tf.tidy(() => {
    const s = fillPadding(scores, mask, 0);
    const y = fillPadding(labels, mask, 0);
    // j is at or after i: y_j < y_i, or y_j == y_i and u_j <= u_i; real j only. Float, by arithmetic, in
    // its own tidy so the [B, L, L] intermediates are freed at once.
    const atOrAfter = tf.tidy(() => {
      const labelGaps = pairDifferences(y); // (i, j): y_i - y_j
      const noiseGaps = pairDifferences(tieBreak);
      const tieOrder = tf.sub(1, isPositive(tf.neg(noiseGaps))); // u_j <= u_i
      return tf.mul(
        tf.add(isPositive(labelGaps), tf.mul(isZero(labelGaps), tieOrder)),
        tf.expandDims(mask, 1),
      );
    });
    const sTheirs = tf.expandDims(s, 1); // [B, 1, L]
    if (options.compat === 'allrank') return allRankListMLE(scores, s, mask, sTheirs, atOrAfter);
    // Per-row maximum keeps exp() in range; the log-sum-exp does not depend on it, so it is a constant.
    const rowMax = withoutGradient(scores, () =>
      tf.max(tf.add(tf.mul(sTheirs, atOrAfter), tf.mul(tf.sub(atOrAfter, 1), 1e30)), 2, true),
    );
    // Outside the set the exponent is 0 (not a possibly huge s_j - max), then masked: no Inf, no NaN.
    const expTerms = tf.mul(tf.exp(tf.mul(tf.sub(sTheirs, rowMax), atOrAfter)), atOrAfter);
    // A real row's set holds its own item, so the sum is >= 1; the floor only guards padded rows.
    const logSumExp = tf.add(tf.squeeze(rowMax, [2]), tf.log(tf.maximum(tf.sum(expTerms, 2), 1)));
    const perItem = tf.where(realItems(mask), tf.sub(logSumExp, s), tf.zerosLike(s));
    return meanOverContributingLists(tf.sum(perItem, 1) as tf.Tensor1D, nonEmptyLists(mask));
  });
}

/** allRank's form: one shift M per list (its maximum score) and + 1e-10 inside the logarithm. */
function allRankListMLE(
  scores: tf.Tensor2D,
  s: tf.Tensor2D,
  mask: tf.Tensor2D,
  sTheirs: tf.Tensor,
  atOrAfter: tf.Tensor,
): tf.Scalar {
  // Not detached: allRank backpropagates through its max too, which matters once the guard does.
  const listMax = tf.max(fillPadding(scores, mask, -3.4e38), 1, true);
  const shifted = tf.sub(sTheirs, tf.expandDims(listMax, 2)); // s_j - M <= 0 for real j
  const tailSums = tf.sum(tf.mul(tf.exp(tf.mul(shifted, atOrAfter)), atOrAfter), 2);
  const perItemAll = tf.sub(tf.log(tf.add(tailSums, ALLRANK_EPS)), tf.sub(s, listMax));
  const perItem = tf.where(realItems(mask), perItemAll, tf.zerosLike(s));
  return meanOverContributingLists(tf.sum(perItem, 1) as tf.Tensor1D, nonEmptyLists(mask));
}

/** Uniform tie-break noise [B, L] drawn from `rng` in JS, so it is the same on every backend. */
export function tieBreakNoise(rng: Rng, batch: number, length: number): tf.Tensor2D {
  const values = new Float32Array(batch * length);
  for (let index = 0; index < values.length; index++) values[index] = rng.float();
  return tf.tensor2d(values, [batch, length]);
}

export const listMLELoss: LossDefinition<typeof listMLEOptionsSchema> = {
  name: 'listMLE',
  options: listMLEOptionsSchema,
  create(options: ListMLEOptions, settings?: LossCreationSettings): RankingLoss {
    const ownRng =
      options.seed !== undefined ? new Rng(options.seed) : (settings?.rng?.derive('listMLE') ?? new Rng(0));
    return {
      name: 'listMLE',
      outputs: 1,
      canBeNonPositive: false,
      compute(scores, labels, mask, context) {
        assertLossInputs('listMLE', 1, scores, labels, mask);
        const [batch, length] = labels.shape;
        const noise = tieBreakNoise(context?.rng ?? ownRng, batch, length);
        const value = listMLEValue(scores as tf.Tensor2D, labels, mask, noise, options);
        noise.dispose();
        return value;
      },
    };
  },
};
