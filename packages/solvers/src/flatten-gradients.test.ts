import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { flattenGradients, stackGradients } from './flatten-gradients.js';
import { unflatten } from './unflatten.js';

describe('flattenGradients / stackGradients', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('flattens a list row-major in order and unflattens it back', () => {
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.tensor1d([7, 8]);
    const c = tf.scalar(9);
    const before = tf.memory().numTensors;
    const flat = flattenGradients([a, b, c]);
    expect(Array.from(flat.dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const parts = unflatten(flat, [a.shape, b.shape, c.shape]);
    expect(parts.map((part) => part.shape)).toEqual([[2, 3], [2], []]);
    expect(parts.map((part) => Array.from(part.dataSync()))).toEqual([[1, 2, 3, 4, 5, 6], [7, 8], [9]]);
    for (const part of parts) part.dispose();
    flat.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, c]);
  });

  it('takes a named map in the given order, ignoring names outside it', () => {
    const grads: tf.NamedTensorMap = {
      second: tf.tensor1d([3, 4]),
      first: tf.tensor1d([1, 2]),
      head: tf.tensor1d([99]),
    };
    const flat = flattenGradients(grads, ['first', 'second']);
    expect(Array.from(flat.dataSync())).toEqual([1, 2, 3, 4]);
    flat.dispose();
    expect(() => flattenGradients(grads)).toThrow(/needs `order`/);
    expect(() => flattenGradients(grads, ['first', 'third'])).toThrow(
      /no gradient named 'third' \(have: second, first, head\)/,
    );
    expect(() => flattenGradients(grads, ['first', 'first'])).toThrow(/'first' appears twice/);
    expect(() => flattenGradients([grads.first as tf.Tensor], ['first'])).toThrow(/not a list/);
    expect(() => flattenGradients([])).toThrow(/at least one/);
    tf.dispose(Object.values(grads));
  });

  it('stacks K tasks into [K, P] and refuses tasks of different lengths', () => {
    const taskA = { w: tf.tensor2d([1, 2, 3, 4], [2, 2]), b: tf.tensor1d([5]) };
    const taskB = { w: tf.tensor2d([6, 7, 8, 9], [2, 2]), b: tf.tensor1d([10]) };
    const before = tf.memory().numTensors;
    const stacked = stackGradients([taskA, taskB], ['w', 'b']);
    expect(stacked.shape).toEqual([2, 5]);
    expect(Array.from(stacked.dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    stacked.dispose();
    expect(() => stackGradients([[taskA.w], [taskA.b]])).toThrow(/task 1 flattens to 1 values, task 0 to 4/);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => stackGradients([])).toThrow(/at least one task/);
    tf.dispose([taskA.w, taskA.b, taskB.w, taskB.b]);
  });
});
