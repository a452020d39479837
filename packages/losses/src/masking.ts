import * as tf from '@tensorflow/tfjs-core';

/**
 * The masking helpers every loss shares. Padding is a float mask (1 real, 0 padded). On [B, L] inputs padded
 * entries are replaced with `tf.where`, never multiplied away, so a NaN or Inf score or label on a padded item
 * cannot leak into values or gradients (0 * NaN is NaN; a `where` branch that is not taken passes zero
 * gradient). On [B, L, L] pair tensors, built only from those cleaned inputs, masks are float and applied by
 * multiplication: on the wasm backend, broadcasting comparisons and `where` run about 20-100x slower than
 * broadcasting arithmetic (measured, bench/losses.bench.ts).
 */

/** Boolean [B, L]: true for real items. */
export function realItems(mask: tf.Tensor): tf.Tensor {
  return tf.greater(mask, 0.5);
}

/** `values` with padded entries replaced by `fill`; padded entries receive zero gradient. */
export function fillPadding<T extends tf.Tensor>(values: T, mask: tf.Tensor, fill: number): T {
  const isReal = realItems(mask);
  // [B, L, n] scores take a [B, L] mask: give it a trailing axis to broadcast over n.
  const condition = values.rank === isReal.rank + 1 ? tf.expandDims(isReal, -1) : isReal;
  return tf.where(condition, values, tf.scalar(fill, values.dtype) as tf.Tensor as T);
}

/** Float [B, L, L]: 1 where both item i and item j are real. */
export function realPairs(mask: tf.Tensor2D): tf.Tensor3D {
  return tf.mul(tf.expandDims(mask, 2), tf.expandDims(mask, 1)) as tf.Tensor3D;
}

/** [B, L, L] with entry (i, j) = x_i - x_j, by broadcasting (no matmul, no copies per pair). */
export function pairDifferences(x: tf.Tensor2D): tf.Tensor3D {
  return tf.sub(tf.expandDims(x, 2), tf.expandDims(x, 1)) as tf.Tensor3D;
}

/** Float [L, L]: 1 off the diagonal, 0 on it. */
export function offDiagonal(length: number): tf.Tensor2D {
  return tf.sub(1, tf.eye(length)) as tf.Tensor2D;
}

/** Float [L, L]: 1 where column j comes before row i (j < i), the tie order of a stable sort. */
export function earlierColumns(length: number): tf.Tensor2D {
  return tf.sub(tf.linalg.bandPart(tf.ones([length, length]), -1, 0), tf.eye(length)) as tf.Tensor2D;
}

/** Float indicator of x > 0 (tf.step: one elementwise op, unlike a comparison plus a cast). */
export function isPositive(x: tf.Tensor): tf.Tensor {
  return tf.step(x, 0);
}

/** Float indicator of x == 0, by arithmetic. */
export function isZero(x: tf.Tensor): tf.Tensor {
  return tf.sub(1, tf.abs(tf.sign(x)));
}

/**
 * num / den where den != 0, else 0; the unused branch divides by 1 so gradients stay finite. `denominator` must
 * not depend on the scores (it is compared, and tfjs cannot backpropagate through comparisons).
 */
export function safeDivide(numerator: tf.Tensor, denominator: tf.Tensor): tf.Tensor {
  const nonZero = tf.notEqual(denominator, 0);
  const safeDenominator = tf.where(nonZero, denominator, tf.onesLike(denominator));
  return tf.where(nonZero, tf.div(numerator, safeDenominator), tf.zerosLike(numerator));
}

/**
 * sqrt(x) for x >= 0, with gradient 0 (instead of Inf, hence NaN) at exactly 0. A custom gradient because x
 * depends on the scores, and a comparison op on the tape would break tfjs's backpropagation.
 */
export const safeSqrt = tf.customGrad((...inputs) => {
  const [x, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
  const root = tf.sqrt(x);
  save([root]);
  return {
    value: root,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const root = saved[0] as tf.Tensor;
      const positive = tf.greater(root, 0);
      return tf.where(
        positive,
        tf.div(dy, tf.mul(tf.where(positive, root, tf.onesLike(root)), 2)),
        tf.zerosLike(root),
      );
    },
  };
});

/**
 * The common reduction: the mean of `perList` [B] over the lists whose `contributes` [B] entry is 1.
 * Lists that do not contribute add nothing; with no contributing list the result is 0 (not 0/0).
 */
export function meanOverContributingLists(perList: tf.Tensor1D, contributes: tf.Tensor1D): tf.Scalar {
  const total = tf.sum(tf.where(tf.greater(contributes, 0.5), perList, tf.zerosLike(perList)));
  const count = tf.maximum(tf.sum(contributes), 1);
  return tf.div(total, count) as tf.Scalar;
}

/** Float [B]: 1 for lists with at least one real item. */
export function nonEmptyLists(mask: tf.Tensor2D): tf.Tensor1D {
  return tf.cast(tf.greater(tf.sum(mask, 1), 0.5), 'float32') as tf.Tensor1D;
}

/**
 * log softmax over each list's real items ([B, L] in, [B, L] out, 0 at padded entries). Shifts by the list
 * maximum for stability; an empty list yields zeros instead of 0/0.
 */
export function maskedLogSoftmax(x: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  const isReal = realItems(mask);
  const listMax = tf.max(fillPadding(x, mask, -3.4e38), 1, true);
  const centered = tf.where(isReal, tf.sub(x, listMax), tf.zerosLike(x));
  const expSum = tf.sum(tf.where(isReal, tf.exp(centered), tf.zerosLike(x)), 1, true);
  // expSum >= 1 for a non-empty list (its maximum contributes exp(0)); the floor only guards empty lists.
  const logNormaliser = tf.log(tf.maximum(expSum, 1));
  return tf.where(isReal, tf.sub(centered, logNormaliser), tf.zerosLike(x)) as tf.Tensor2D;
}

/** softmax over each list's real items; 0 at padded entries and for empty lists. */
export function maskedSoftmax(x: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.where(realItems(mask), tf.exp(maskedLogSoftmax(x, mask)), tf.zerosLike(x)) as tf.Tensor2D;
}

/** Float [B, L, L]: 1 where (i, j) is a real pair with label_i > label_j (the pairs pairwise losses learn from). */
export function preferredPairs(labels: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D {
  // Own tidy: frees the [B, L, L] intermediates now instead of at the end of the caller's tidy.
  return tf.tidy(() => {
    const y = fillPadding(labels, mask, 0);
    return tf.mul(isPositive(pairDifferences(y)), realPairs(mask)) as tf.Tensor3D;
  });
}

/** How per-pair losses become one number; see the README's reduction column. */
export type PairReduction = 'mean' | 'sum';

/**
 * Reduces per-pair losses [B, L, L] over the pairs selected by `pairMask` (float, 1 = counted, 0 = not):
 * 'mean': the mean over every selected pair of the batch (allRank's 'mean');
 * 'sum': each list's sum over its pairs, then the mean over lists with at least one pair.
 * No selected pair at all gives 0. `pairLosses` must be finite everywhere (fill padded scores first).
 *
 * Arithmetic only (multiply, minimum, maximum), no comparisons: the mask may depend on the scores through
 * ranks (LambdaLoss's k), and tfjs cannot backpropagate through a comparison op on the tape.
 */
export function reducePairLosses(
  pairLosses: tf.Tensor3D,
  pairMask: tf.Tensor3D,
  reduction: PairReduction,
): tf.Scalar {
  const selected = tf.mul(pairLosses, pairMask);
  const pairCounts = tf.sum(pairMask, [1, 2]);
  if (reduction === 'mean') {
    return tf.div(tf.sum(selected), tf.maximum(tf.sum(pairCounts), 1)) as tf.Scalar;
  }
  // Pair counts are whole numbers, so min(count, 1) is 1 exactly for lists with a pair.
  const listsWithPairs = tf.sum(tf.minimum(pairCounts, 1));
  return tf.div(tf.sum(selected), tf.maximum(listsWithPairs, 1)) as tf.Scalar;
}
