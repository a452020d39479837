import { Rng, UserError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { logLossSpace } from './log-loss-space.js';
import { combination, gramOf, randomSimplexPoint, randomVectors } from './test-vectors.js';

function expectRelativelyClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
): void {
  const scale = Math.max(...Array.from(expected, Math.abs), 1e-300);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs((actual[i] as number) - (expected[i] as number)) / scale).toBeLessThan(tolerance);
  }
}

describe('logLossSpace', () => {
  it('hand-computed: M = [[4, 1], [1, 9]], L = [2, 0.5] gives M_ij / (L_i L_j) and w_i / L_i', () => {
    const space = logLossSpace(Float64Array.of(4, 1, 1, 9), Float32Array.of(2, 0.5));
    // 4 / 4 = 1, 1 / (2 * 0.5) = 1, 9 / 0.25 = 36
    expect(Array.from(space.gram)).toEqual([1, 1, 1, 36]);
    expect(Array.from(space.toLossWeights([0.5, 0.5]))).toEqual([0.25, 1]);
  });

  it('property: the Gram matrix of the vectors g_i / (L_i + eps), and sum w_i (g_i / L_i) = sum (w_i / L_i) g_i', () => {
    const rng = new Rng(1902);
    for (let trial = 0; trial < 200; trial++) {
      const size = 2 + rng.int(4);
      const vectors = randomVectors(rng, size, 1 + rng.int(9));
      const losses = Float64Array.from({ length: size }, () => Math.exp(4 * (rng.float() - 0.5)));
      const epsilon = trial % 2 === 0 ? 0 : 1e-3 * rng.float();
      const logVectors = vectors.map((v, i) => v.map((x) => x / ((losses[i] as number) + epsilon)));
      const space = logLossSpace(gramOf(vectors), losses, { epsilon });
      expectRelativelyClose(space.gram, gramOf(logVectors), 1e-12);
      const weights = randomSimplexPoint(rng, size);
      expectRelativelyClose(
        combination(vectors, space.toLossWeights(weights)),
        combination(logVectors, weights),
        1e-12,
      );
    }
  });

  it('refuses a loss <= 0 with the method, task and step', () => {
    const gram = Float64Array.of(1, 0, 0, 1);
    const describe = { method: 'log_cagrad', taskNames: ['relevance', 'click'], step: 7 };
    expect(() => logLossSpace(gram, [1, 0], describe)).toThrow(UserError);
    expect(() => logLossSpace(gram, [1, -0.5], describe)).toThrow(
      "log_cagrad: works on ln L_i and needs every loss > 0, but task 'click' has loss -0.5 at step 7",
    );
    expect(() => logLossSpace(gram, [Number.NaN, 1])).toThrow("task '0' has loss NaN");
    // epsilon shifts the losses first: 0 + 1e-8 > 0 is accepted, as DeepMTL2R's ln(L + 1e-8).
    const shifted = logLossSpace(gram, [1, 0], { epsilon: 1e-8 }).gram;
    expect(shifted[0]).toBeCloseTo(1 / (1 + 1e-8) ** 2, 15);
    expect((shifted[3] as number) / 1e16).toBeCloseTo(1, 12);
  });

  it('refuses mismatched lengths', () => {
    expect(() => logLossSpace(Float64Array.of(1, 0, 0, 1), [1, 2, 3])).toThrow('3 losses for a 2 x 2');
    expect(() => logLossSpace(Float64Array.of(1, 0, 0, 1), [1, 2]).toLossWeights([1])).toThrow(
      '1 weights for 2 tasks',
    );
  });
});
