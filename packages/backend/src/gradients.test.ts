import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';

describe('gradients and chained ops without the @tensorflow/tfjs umbrella', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('registers gradients: d mean(x^2) / dx = 2x / n', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.mean(tf.mul(v, v)))(x);
    expect(Array.from(g.dataSync()).map((v) => Number(v.toFixed(6)))).toEqual([0.666667, 1.333333, 2]);
    // log-softmax: d sum(logsoftmax(x)) / dx = 1 - n softmax(x)
    const s = tf.grad((v: tf.Tensor) => tf.sum(tf.logSoftmax(v)))(x);
    const softmax = [1, 2, 3].map((v) => Math.exp(v) / (Math.E + Math.E ** 2 + Math.E ** 3));
    Array.from(s.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(1 - 3 * (softmax[i] as number), 5);
    });
    tf.dispose([x, g, s]);
  });

  it('registers chained ops on tensors', () => {
    const x = tf.tensor1d([1, 2]);
    const y = (x as tf.Tensor & { mul(b: number): tf.Tensor }).mul(3);
    expect(Array.from(y.dataSync())).toEqual([3, 6]);
    tf.dispose([x, y]);
  });
});
