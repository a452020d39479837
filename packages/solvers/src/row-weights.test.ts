import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRowWeights } from './row-weights.js';

describe('readRowWeights', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('converts one finite value per row to float32 and checks the rank', () => {
    const grads = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    expect(Array.from(readRowWeights(grads, [0.5, 2, -1], 'test'))).toEqual([0.5, 2, -1]);
    expect(() => readRowWeights(grads, [1, 2], 'test')).toThrow(
      /test: expected 3 values \(one per row\), got 2/,
    );
    expect(() => readRowWeights(grads, [1, 2, Number.POSITIVE_INFINITY], 'test')).toThrow(
      /value\[2\] must be finite/,
    );
    const vector = tf.tensor1d([1, 2]);
    expect(() => readRowWeights(vector as unknown as tf.Tensor2D, [1], 'test')).toThrow(/rank-2 tensor/);
    tf.dispose([grads, vector]);
  });
});
