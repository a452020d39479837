import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleRows } from './scale-rows.js';

describe('scaleRows', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('multiplies each row by its factor without leaking', () => {
    const grads = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const before = tf.memory().numTensors;
    const scaled = scaleRows(grads, Float64Array.of(2, -0.5));
    expect(Array.from(scaled.dataSync())).toEqual([2, 4, 6, -2, -2.5, -3]);
    scaled.dispose();
    expect(tf.memory().numTensors).toBe(before);
    grads.dispose();
  });

  it('rejects non-finite factors', () => {
    const grads = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(() => scaleRows(grads, [1, Number.NaN])).toThrow(/scaleRows: value\[1\] must be finite/);
    grads.dispose();
  });
});
