import { selectBackend } from '@mtl2r/backend';
import { gramMatrix } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { clippedCombination } from './clip-combination.js';

describe('clippedCombination', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('scales sum w_i g_i to norm maxNorm when it is longer (torch clip_grad_norm_ with eps 1e-6)', () => {
    // g0 = (3, 0), g1 = (0, 4); w = (1, 1): d = (3, 4), ||d|| = 5 -> scale 1 / (5 + 1e-6)
    const grads = tf.tensor2d([
      [3, 0],
      [0, 4],
    ]);
    const result = clippedCombination(grads, [1, 1], gramMatrix(grads), 1);
    expect(result.norm).toBeCloseTo(5, 10);
    expect(result.scale).toBeCloseTo(1 / (5 + 1e-6), 12);
    const d = Array.from(result.direction.dataSync());
    expect(d[0]).toBeCloseTo(3 / (5 + 1e-6), 6);
    expect(d[1]).toBeCloseTo(4 / (5 + 1e-6), 6);
    tf.dispose([grads, result.direction]);
  });

  it('leaves a short combination unchanged and does not dispose the gradients', () => {
    const grads = tf.tensor2d([
      [0.1, 0.2, -0.1],
      [0.05, -0.1, 0.3],
    ]);
    const result = clippedCombination(grads, [0.5, 2], gramMatrix(grads), 1);
    expect(result.scale).toBe(1);
    const expected = [0.5 * 0.1 + 2 * 0.05, 0.5 * 0.2 - 2 * 0.1, -0.5 * 0.1 + 2 * 0.3];
    Array.from(result.direction.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 6);
    });
    expect(grads.isDisposed).toBe(false);
    tf.dispose([grads, result.direction]);
  });

  it('refuses a non-positive maxNorm and mismatched sizes', () => {
    const grads = tf.tensor2d([[1, 2]]);
    expect(() => clippedCombination(grads, [1], [5], 0)).toThrow('maxNorm must be > 0');
    expect(() => clippedCombination(grads, [1, 1], [5], 1)).toThrow('2 weights and 1 gradients');
    grads.dispose();
  });
});
