import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { unflatten } from './unflatten.js';

describe('unflatten', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('splits a vector into the given shapes, row-major, without leaking', () => {
    const flat = tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const before = tf.memory().numTensors;
    const parts = unflatten(flat, [[2, 3], [2], []]);
    expect(parts.map((part) => part.shape)).toEqual([[2, 3], [2], []]);
    expect(parts.map((part) => Array.from(part.dataSync()))).toEqual([[1, 2, 3, 4, 5, 6], [7, 8], [9]]);
    tf.dispose(parts);
    expect(tf.memory().numTensors).toBe(before);
    flat.dispose();
  });

  it('rejects shapes that do not cover the vector exactly', () => {
    const flat = tf.tensor1d([1, 2, 3]);
    expect(() => unflatten(flat, [[2]])).toThrow(/shapes hold 2 values but the vector has 3/);
    expect(() => unflatten(flat, [[1.5, 2]])).toThrow(/non-negative integers/);
    expect(() => unflatten(tf.tensor2d([1, 2], [1, 2]) as unknown as tf.Tensor1D, [[2]])).toThrow(/rank-1/);
    flat.dispose();
  });
});
