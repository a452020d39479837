import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowNorms } from './row-norms.js';

describe('rowNorms', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('returns hand-computed row norms, a zero row included, without leaking', () => {
    const grads = tf.tensor2d([3, 4, 0, 0, 0, 0, 0, 0, 0, -6, -8, 0], [3, 4]);
    const before = tf.memory().numTensors;
    expect(Array.from(rowNorms(grads)).map((n) => Number(n.toFixed(5)))).toEqual([5, 0, 10]);
    expect(tf.memory().numTensors).toBe(before);
    grads.dispose();
  });
});
