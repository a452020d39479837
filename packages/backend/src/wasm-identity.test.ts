import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';

describe('wasm Identity (shared buffer)', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'wasm' });
  });

  it('clones without copying, and each clone lives independently of the original', () => {
    const backend = tf.backend();
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const buffers = backend.numDataIds();
    const y = x.clone();
    expect(backend.numDataIds()).toBe(buffers); // same heap buffer, one more reference
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    const z = tf.add(y, 1);
    expect(Array.from(z.dataSync())).toEqual([2, 3, 4, 5]);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    tf.dispose([y, z]);
    expect(backend.numDataIds()).toBe(buffers - 1);
  });

  it('leaves gradients unchanged (the tape saves inputs through Identity)', () => {
    const x = tf.tensor1d([0.5, -1, 2]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.exp(v), tf.square(v))))(x);
    const expected = [0.5, -1, 2].map((v) => Math.exp(v) * (v * v + 2 * v));
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 4));
    tf.dispose([x, g]);
  });
});
