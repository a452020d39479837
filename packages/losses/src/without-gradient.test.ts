import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { leakedTensors } from './loss-checks.js';
import { withoutGradient } from './without-gradient.js';

describe('withoutGradient', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('returns the computed value but passes zero gradient to the input', () => {
    const x = tf.tensor1d([1, 2, 3]);
    // f(x) = x * c(x) with c(x) = sum(x) held constant: df/dx_i = c = 6 (not 6 + x_i).
    const f = (input: tf.Tensor) =>
      tf.sum(
        tf.mul(
          input,
          withoutGradient(input, () => tf.sum(input)),
        ),
      );
    const { value, grad } = tf.valueAndGrad(f)(x);
    expect(value.dataSync()[0]).toBe(36);
    expect(Array.from(grad.dataSync())).toEqual([6, 6, 6]);
    tf.dispose([x, value, grad]);
  });

  it('lets comparison ops, which have no tfjs gradient, run on values derived from the input', () => {
    const x = tf.tensor1d([1, -2, 3]);
    const f = (input: tf.Tensor) =>
      tf.sum(
        tf.mul(
          input,
          withoutGradient(input, () =>
            tf.cast(tf.logicalAnd(tf.greater(input, 0), tf.less(input, 2)), 'float32'),
          ),
        ),
      );
    const grad = tf.grad(f)(x);
    expect(Array.from(grad.dataSync())).toEqual([1, 0, 0]);
    tf.dispose([x, grad]);
  });

  it('releases the tensors made inside', () => {
    const x = tf.tensor1d([1, 2]);
    expect(leakedTensors(() => withoutGradient(x, () => tf.add(tf.mul(x, 2), 1)).dispose())).toBe(0);
    x.dispose();
  });
});
