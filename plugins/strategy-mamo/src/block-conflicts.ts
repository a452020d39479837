import type { ParameterLayout } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';

/** The unordered task pairs (i < j) in the order every per-pair array of this plugin uses. */
export function taskPairs(taskCount: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < taskCount; i++) for (let j = i + 1; j < taskCount; j++) pairs.push([i, j]);
  return pairs;
}

/** Column ranges [start, end) of `layout` that belong to encoder block `block`, adjacent ranges merged. */
export function blockColumnRanges(layout: ParameterLayout, block: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (const entry of layout.entries) {
    if (entry.block !== block || entry.size === 0) continue;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === entry.offset) last[1] = entry.offset + entry.size;
    else ranges.push([entry.offset, entry.offset + entry.size]);
  }
  return ranges;
}

/**
 * cos(g_i^l, g_j^l) for every encoder block l and task pair (i < j), where g_i^l is task i's gradient
 * restricted to the columns of block l: blockCount rows of pairs(K) values. A pair where either
 * gradient is zero on the block gets cosine 0 (no conflict). Only the K x K Gram matrix of each block
 * leaves the backend.
 */
export function blockPairCosines(
  grads: tf.Tensor2D,
  layout: ParameterLayout,
  blockCount: number,
): Float64Array[] {
  const [taskCount] = grads.shape;
  const pairs = taskPairs(taskCount);
  const rows: Float64Array[] = [];
  for (let block = 0; block < blockCount; block++) {
    const ranges = blockColumnRanges(layout, block);
    const cosines = new Float64Array(pairs.length);
    rows.push(cosines);
    if (ranges.length === 0) continue;
    const gram = tf.tidy(() => {
      const parts = ranges.map(([start, end]) => tf.slice(grads, [0, start], [taskCount, end - start]));
      const blockGrads = parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 1);
      return tf.matMul(blockGrads, blockGrads, false, true);
    });
    const values = gram.dataSync();
    gram.dispose();
    pairs.forEach(([i, j], p) => {
      const denominator = Math.sqrt(
        (values[i * taskCount + i] as number) * (values[j * taskCount + j] as number),
      );
      cosines[p] = denominator > 0 ? (values[i * taskCount + j] as number) / denominator : 0;
    });
  }
  return rows;
}
