import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCombineInput } from './combine-input.js';
import { requireGradients, requireGram } from './require-gradients.js';

describe('requireGram and requireGradients', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('return the gradients and their Gram matrix', () => {
    const grads = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const input = createCombineInput({ step: 0, epoch: 0, losses: Float32Array.of(1, 1), grads });
    const got = requireGradients(input, 'pcgrad', 'shared');
    expect(got.grads).toBe(grads);
    expect(Array.from(got.gram)).toEqual([5, 11, 11, 25]);
    expect(requireGram(input, 'mgda', 'shared')).toBe(got.gram);
    grads.dispose();
  });

  it('accept a Gram matrix given without the gradients when only the Gram matrix is needed', () => {
    const gram = Float64Array.of(1, 0, 0, 1);
    expect(requireGram({ gram }, 'imtl', 'shared')).toBe(gram);
    expect(() => requireGradients({ gram }, 'cagrad', 'shared')).toThrow(
      'cagrad needs the per-task gradients of the shared parameters (needs.grads = shared)',
    );
  });

  it('name the strategy and the gradient space it declared when they are missing', () => {
    expect(() => requireGram({}, 'imtl', 'shared')).toThrow(
      'imtl needs the per-task gradients of the shared parameters (needs.grads = shared)',
    );
    expect(() => requireGram({}, 'mgda', 'representation')).toThrow(
      'mgda needs the per-task gradients (needs.grads = representation)',
    );
  });
});
