import { selectBackend } from '@mtl2r/backend';
import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { combineRows } from './combine-rows.js';

describe('combineRows', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('computes w^T G without leaking', () => {
    const rng = new Rng('combine');
    const rows = 4;
    const columns = 257;
    const values = Float32Array.from({ length: rows * columns }, () => rng.normal());
    const weights = [0.5, -1, 2, 0];
    const grads = tf.tensor2d(values, [rows, columns]);
    const before = tf.memory().numTensors;
    const combined = combineRows(grads, weights);
    expect(combined.shape).toEqual([columns]);
    const data = combined.dataSync();
    for (let k = 0; k < columns; k++) {
      let expected = 0;
      for (let i = 0; i < rows; i++) expected += (weights[i] as number) * (values[i * columns + k] as number);
      expect(data[k]).toBeCloseTo(expected, 4);
    }
    combined.dispose();
    expect(tf.memory().numTensors).toBe(before);
    grads.dispose();
  });

  it('rejects weights of the wrong length', () => {
    const grads = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(() => combineRows(grads, [1])).toThrow(/combineRows: expected 2 values \(one per row\), got 1/);
    grads.dispose();
  });
});
