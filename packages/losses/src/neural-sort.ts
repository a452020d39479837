import * as tf from '@tensorflow/tfjs-core';
import { fillPadding, pairDifferences, realPairs } from './masking.js';
import { withoutGradient } from './without-gradient.js';

/** Sinkhorn scaling stops after `maxIterations`, or earlier once every column sum is within `tolerance` of 1. */
export interface SinkhornSettings {
  maxIterations: number;
  /** 0: always run `maxIterations` (a fixed graph). */
  tolerance: number;
}

/**
 * NeuralSort (Grover et al. 2019) with padding, followed by Sinkhorn scaling: a differentiable relaxation
 * of the permutation matrix that sorts each list's scores in descending order.
 *
 * Returns P [B, L, L]: row r is rank r + 1, column j is item j. For a list with n real items, rows r < n and
 * the real columns form an (approximately) doubly stochastic n x n block; every other entry is exactly 0,
 * wherever the padded items sit in the list.
 */
export function sortingRelaxation(
  scores: tf.Tensor2D,
  mask: tf.Tensor2D,
  temperature: number,
  sinkhorn: SinkhornSettings,
): tf.Tensor3D {
  return tf.tidy(() => {
    const length = scores.shape[1];
    const s = fillPadding(scores, mask, 0);
    const realCount = tf.sum(mask, 1, true); // [B, 1]
    // Row r (0-based) is valid when r < n; its NeuralSort coefficient is n + 1 - 2 (r + 1) = n - 1 - 2r.
    const rowIndex = tf.range(0, length, 1, 'float32');
    const validRows = tf.cast(tf.less(tf.expandDims(rowIndex, 0), realCount), 'float32'); // [B, L]
    const coefficients = tf.sub(tf.sub(realCount, 1), tf.mul(rowIndex, 2)); // [B, L]
    // Sum over real k of |s_j - s_k|, per item j.
    const spread = tf.sum(tf.mul(tf.abs(pairDifferences(s)), realPairs(mask)), 2); // [B, L]
    // logits[r, j] = (coefficient_r * s_j - spread_j) / temperature, by broadcasting [B, L, 1] x [B, 1, L].
    const logits = tf.div(
      tf.sub(tf.mul(tf.expandDims(coefficients, 2), tf.expandDims(s, 1)), tf.expandDims(spread, 1)),
      temperature,
    );
    const valid = tf.mul(tf.expandDims(validRows, 2), tf.expandDims(mask, 1)); // [B, L, L], float
    // Softmax over the real columns of each valid row. The shift by the row maximum cancels in the softmax,
    // so it is a constant; exponents outside the valid block are 0, then masked.
    const rowMax = withoutGradient(scores, () =>
      tf.max(tf.add(tf.mul(logits, valid), tf.mul(tf.sub(valid, 1), 1e30)), 2, true),
    );
    const unnormalised = tf.mul(tf.exp(tf.mul(tf.sub(logits, rowMax), valid)), valid);
    // Padded rows and columns are all zero. Their sums get +1 instead of a tiny floor: dividing by a floor
    // like 1e-10 multiplies their (zero) entries' gradients by 1e10 per iteration, which overflows to Inf and
    // then 0 * Inf = NaN.
    const paddedRows = tf.expandDims(tf.sub(1, validRows), 2); // [B, L, 1]
    const paddedColumns = tf.expandDims(tf.sub(1, mask), 1); // [B, 1, L]
    const rowSums = (p: tf.Tensor) => tf.add(tf.sum(p, 2, true), paddedRows);
    const rowStochastic = tf.mul(unnormalised, tf.reciprocal(rowSums(unnormalised))) as tf.Tensor3D;
    const permutation = sinkhornScaling(rowStochastic, paddedRows, paddedColumns, sinkhorn);
    return permutation as tf.Tensor3D;
  });
}

/** One Sinkhorn half-step: `axis` 1 normalises columns, 2 rows; `denominator` is the sum (+1 on padding). */
interface HalfStep {
  axis: 1 | 2;
  /** Cumulative row scaling [B, L, 1] and column scaling [B, 1, L] after this half-step: P = start * rows * columns. */
  rows: tf.Tensor;
  columns: tf.Tensor;
  denominator: tf.Tensor;
}

/**
 * Sinkhorn scaling of `start` (rows already sum to 1) with a hand-written backward pass. Every iteration only
 * rescales rows and columns, so P after any half-step is start * rows * columns for two small vectors. The
 * forward pass keeps those vectors instead of a [B, L, L] matrix per half-step (autodiff would keep about 100
 * of them: 1.5 GB at B 64 x L 240, beyond the wasm heap next to the model), and the backward pass rebuilds
 * each matrix when it needs it. Gradient of a half-step P' = P / d, d = sum(P) + padding, along the summed
 * axis: dP = (dP' - sum(dP' * P')) / d.
 */
function sinkhornScaling(
  start: tf.Tensor3D,
  paddedRows: tf.Tensor,
  paddedColumns: tf.Tensor,
  settings: SinkhornSettings,
): tf.Tensor3D {
  const scale = tf.customGrad((...args) => {
    const [initial, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    const steps: HalfStep[] = [];
    let rows: tf.Tensor = tf.onesLike(paddedRows);
    let columns: tf.Tensor = tf.onesLike(paddedColumns);
    for (let iteration = 0; iteration < settings.maxIterations; iteration++) {
      const columnSums = tf.tidy(() =>
        tf.add(tf.sum(tf.mul(tf.mul(initial, rows), columns), 1, true), paddedColumns),
      );
      // Rows sum to 1 here, so the column sums tell how far from doubly stochastic P is. Reading one number
      // per iteration is cheap on the synchronous cpu and wasm backends.
      if (settings.tolerance > 0) {
        const deviation = tf.tidy(() => tf.max(tf.abs(tf.sub(columnSums, 1))).dataSync()[0] as number);
        if (deviation < settings.tolerance) {
          columnSums.dispose();
          break;
        }
      }
      columns = tf.div(columns, columnSums);
      steps.push({ axis: 1, rows, columns, denominator: columnSums });
      const rowSums = tf.tidy(() =>
        tf.add(tf.sum(tf.mul(tf.mul(initial, rows), columns), 2, true), paddedRows),
      );
      rows = tf.div(rows, rowSums);
      steps.push({ axis: 2, rows, columns, denominator: rowSums });
    }
    const result = tf.tidy(() => tf.mul(tf.mul(initial, rows), columns)) as tf.Tensor3D;
    save([initial, ...steps.flatMap((step) => [step.rows, step.columns, step.denominator])]);
    const axes = steps.map((step) => step.axis);
    return {
      value: result,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const savedInitial = saved[0] as tf.Tensor;
        let gradient = dy;
        for (let index = axes.length - 1; index >= 0; index--) {
          const [stepRows, stepColumns, denominator] = saved.slice(1 + 3 * index, 4 + 3 * index) as [
            tf.Tensor,
            tf.Tensor,
            tf.Tensor,
          ];
          const axis = axes[index] as 1 | 2;
          const previous = gradient;
          gradient = tf.tidy(() => {
            const after = tf.mul(tf.mul(savedInitial, stepRows), stepColumns);
            return tf.div(tf.sub(previous, tf.sum(tf.mul(previous, after), axis, true)), denominator);
          });
          if (previous !== dy) previous.dispose();
        }
        return gradient;
      },
    };
  });
  return scale(start) as tf.Tensor3D;
}
