import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosineMatrix } from './cosine-matrix.js';

describe('cosineMatrix', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('matches hand-computed cosines: opposite rows -1, orthogonal 0, a zero row 0', () => {
    // Rows: (3, 4, 0, 0), (0, 0, 0, 2), (-6, -8, 0, 0), (0, 0, 0, 0).
    const grads = tf.tensor2d([3, 4, 0, 0, 0, 0, 0, 2, -6, -8, 0, 0, 0, 0, 0, 0], [4, 4]);
    const before = tf.memory().numTensors;
    const cosines = Array.from(cosineMatrix(grads)).map((c) => Number(c.toFixed(5)) + 0);
    expect(cosines).toEqual([1, 0, -1, 0, 0, 1, 0, 0, -1, 0, 1, 0, 0, 0, 0, 0]);
    expect(tf.memory().numTensors).toBe(before);
    grads.dispose();
  });
});
