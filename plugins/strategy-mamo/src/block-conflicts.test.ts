import { selectBackend } from '@mtl2r/backend';
import type { ParameterLayout } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { blockColumnRanges, blockPairCosines, taskPairs } from './block-conflicts.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

// Columns: input (block -1) 0..1, block 0 = 2..3 and 4 (two entries), block 1 = 5..6, then block 0 again at 7.
const layout: ParameterLayout = {
  size: 8,
  entries: [
    { name: 'input', block: -1, offset: 0, size: 2, shape: [2] },
    { name: 'b0.a', block: 0, offset: 2, size: 2, shape: [2] },
    { name: 'b0.b', block: 0, offset: 4, size: 1, shape: [1] },
    { name: 'b1', block: 1, offset: 5, size: 2, shape: [2] },
    { name: 'pairs.b0', block: 0, offset: 7, size: 1, shape: [1] },
  ],
};

describe('blockColumnRanges', () => {
  it('merges adjacent entries of a block and keeps separate runs apart', () => {
    expect(blockColumnRanges(layout, 0)).toEqual([
      [2, 5],
      [7, 8],
    ]);
    expect(blockColumnRanges(layout, 1)).toEqual([[5, 7]]);
    expect(blockColumnRanges(layout, 2)).toEqual([]);
  });
});

describe('blockPairCosines', () => {
  it('is the cosine of each pair of task gradients restricted to each block (hand-computed)', () => {
    const grads = tf.tensor2d([
      [9, 9, 1, 0, 0, 1, 0, 2],
      [9, 9, 0, 1, 0, -1, 1, 0],
      [9, 9, -1, 0, 0, 0, 0, 0],
    ]);
    const cosines = blockPairCosines(grads, layout, 3);
    expect(taskPairs(3)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    // Block 0 columns 2,3,4,7: t0 = (1,0,0,2), t1 = (0,1,0,0), t2 = (-1,0,0,0).
    expect(Array.from(cosines[0] as Float64Array)).toEqual([0, expect.closeTo(-1 / Math.sqrt(5), 12), 0]);
    // Block 1 columns 5,6: t0 = (1,0), t1 = (-1,1), t2 = (0,0) -> cos(0,1) = -1/sqrt2, zero gradient -> 0.
    expect(Array.from(cosines[1] as Float64Array)).toEqual([expect.closeTo(-Math.SQRT1_2, 12), 0, 0]);
    // A block with no columns has no conflict.
    expect(Array.from(cosines[2] as Float64Array)).toEqual([0, 0, 0]);
    grads.dispose();
  });

  it('leaves no tensors behind', () => {
    const grads = tf.randomNormal([3, 8]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    blockPairCosines(grads, layout, 2);
    expect(tf.memory().numTensors).toBe(before);
    grads.dispose();
  });
});
