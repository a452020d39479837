import * as tf from '@tensorflow/tfjs-core';
import { earlierColumns, fillPadding, isPositive, isZero } from './masking.js';
import { withoutGradient } from './without-gradient.js';

/**
 * Rank and DCG helpers shared by the NDCG-based losses. Ranks are computed by pairwise comparison on
 * [B, L, L] (no sort, no gather): broadcasting arithmetic that tfjs runs fast on every backend; ranks carry
 * no gradient anyway.
 */

/**
 * 1-based rank of each real item when its list is sorted by `values` descending; ties go to the item with the
 * lower index (a stable sort). Padded items are not counted; their own rank is meaningless (mask it).
 */
export function descendingRanks(values: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  // Ranks are piecewise constant in the scores: a constant for backpropagation.
  return withoutGradient(values, () => {
    const v = fillPadding(values, mask, 0);
    const gaps = tf.sub(tf.expandDims(v, 1), tf.expandDims(v, 2)); // (i, j): v_j - v_i
    // j is ahead of i when v_j > v_i, or v_j == v_i and j < i.
    const ahead = tf.add(isPositive(gaps), tf.mul(isZero(gaps), earlierColumns(v.shape[1])));
    return tf.add(tf.sum(tf.mul(ahead, tf.expandDims(mask, 1)), 2), 1) as tf.Tensor2D;
  });
}

/** Gain of a grade: 2^y - 1 (`powered`, as NDCG and allRank) or y. */
export function gains(labels: tf.Tensor, powered: boolean): tf.Tensor {
  return powered ? tf.sub(tf.pow(tf.scalar(2), labels), 1) : labels;
}

/** 1 / log2(1 + rank), elementwise. */
export function discountOfRank(ranks: tf.Tensor): tf.Tensor {
  return tf.div(Math.LN2, tf.log1p(ranks));
}

/** [L] discounts 1 / log2(1 + p) for positions p = 1..L, zero beyond `k` (null: no cut-off). */
export function positionDiscounts(length: number, k: number | null): tf.Tensor1D {
  return tf.tidy(() => {
    const positions = tf.range(1, length + 1, 1, 'float32');
    const discounts = discountOfRank(positions);
    if (k === null || k >= length) return discounts as tf.Tensor1D;
    return tf.where(tf.lessEqual(positions, k), discounts, tf.zerosLike(discounts)) as tf.Tensor1D;
  });
}

/**
 * [B] ideal DCG@k: the DCG of each list's real items ordered by label. Uses topk on labels (no gradient
 * is needed here); padded items sort last with gain 0.
 */
export function idealDcg(
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  k: number | null,
  powered: boolean,
): tf.Tensor1D {
  return tf.tidy(() => {
    const length = labels.shape[1];
    const sorted = tf.topk(fillPadding(labels, mask, -1), length).values;
    const sortedGains = gains(tf.relu(sorted), powered);
    return tf.sum(tf.mul(sortedGains, positionDiscounts(length, k)), 1) as tf.Tensor1D;
  });
}
