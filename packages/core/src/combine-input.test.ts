import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCombineInput } from './combine-input.js';

describe('createCombineInput', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('has no gram without gradients', () => {
    const input = createCombineInput({ step: 3, epoch: 1, losses: Float32Array.of(1, 2) });
    expect(input.gram).toBeUndefined();
    expect(input.grads).toBeUndefined();
    expect(input.step).toBe(3);
  });

  it('computes G G^T once, on first read, as a symmetric float64 K*K array', () => {
    const grads = tf.tensor2d([
      [1, 2, 3],
      [-1, 0, 2],
    ]);
    const before = tf.memory().numTensors;
    const input = createCombineInput({ step: 0, epoch: 0, losses: Float32Array.of(1, 1), grads });
    expect(tf.memory().numTensors).toBe(before); // nothing computed yet
    const gram = input.gram as Float64Array;
    expect(gram).toBeInstanceOf(Float64Array);
    expect(Array.from(gram)).toEqual([14, 5, 5, 5]);
    expect(input.gram).toBe(gram); // cached: the same array
    expect(tf.memory().numTensors).toBe(before);
    grads.dispose();
  });
});
