import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { minNormPointDeepmtl2r } from './min-norm-deepmtl2r.js';
import { minNormPoint } from './min-norm-point.js';
import { expectOnSimplex, gramOf, randomVectors } from './test-vectors.js';

describe('minNormPointDeepmtl2r (DeepMTL2R / Sener & Koltun MinNormSolver)', () => {
  it('K = 2 interior: the exact pair rule, gamma = (M_11 - M_01) / (M_00 + M_11 - 2 M_01)', () => {
    // g = (1, 0), (0, 2): gamma = 4 / 5 = 0.8; cost = 4 + 0.8 * (0 - 4) = 0.8.
    const result = minNormPointDeepmtl2r(Float64Array.of(1, 0, 0, 4));
    expect(Array.from(result.weights)).toEqual([0.8, 0.19999999999999996]);
    expect(result.cost).toBeCloseTo(0.8, 15);
  });

  it('K = 2 at an end: the clamp 0.999 / 0.001 where the exact min-norm point is 1 / 0', () => {
    // g_0 = (1, 0), g_1 = (2, 0): M_01 = 2 >= M_00 = 1, the exact point is g_0 alone.
    const clamped = minNormPointDeepmtl2r(Float64Array.of(1, 2, 2, 4));
    expect(clamped.weights[0]).toBe(0.999);
    expect(clamped.weights[1]).toBeCloseTo(0.001, 15);
    expect(Array.from(minNormPoint(Float64Array.of(1, 2, 2, 4)).weights)).toEqual([1, 0]);
    // Swapped: M_01 = 2 >= M_11 = 1.
    const swapped = minNormPointDeepmtl2r(Float64Array.of(4, 2, 2, 1));
    expect(swapped.weights[0]).toBeCloseTo(0.001, 15);
    expect(swapped.weights[1]).toBeCloseTo(0.999, 15);
    expect(swapped.cost).toBe(1);
    // Identical gradients hit the first clamp too (the exact rule returns 0.5 / 0.5).
    expect(minNormPointDeepmtl2r(Float64Array.of(1, 1, 1, 1)).weights[0]).toBe(0.999);
  });

  it('K = 3 hand-traced: best pair, one step back to the same point, stop', () => {
    // g = (1, 0), (0, 1), (1, 1): best pair (0, 1) at 0.5 / 0.5 (cost 0.5). The step along -M a projected on
    // sum 0 is (1/6, 1/6, -1/3); t = 1; projected back onto the simplex it is (0.5, 0.5, 0) again, the line
    // search's clamp keeps a, the change is 0 < 1e-5.
    const result = minNormPointDeepmtl2r(Float64Array.of(1, 0, 1, 0, 1, 1, 1, 1, 2));
    expect(Array.from(result.weights)).toEqual([0.5, 0.5, 0]);
    expect(result.cost).toBe(0.5);
    expect(result.iterations).toBe(1);
    expect(result.converged).toBe(true);
  });

  it('K > 2 random: on the simplex and within the stopping rule of the exact min-norm value', () => {
    const rng = new Rng(77);
    for (let trial = 0; trial < 60; trial++) {
      const size = 3 + rng.int(3);
      const gram = gramOf(randomVectors(rng, size, 2 + rng.int(10)));
      const reference = minNormPointDeepmtl2r(gram);
      const exact = minNormPoint(gram);
      expectOnSimplex(reference.weights, 1e-9);
      expect(reference.converged).toBe(true);
      let value = 0;
      for (let i = 0; i < size; i++)
        for (let j = 0; j < size; j++)
          value +=
            (reference.weights[i] as number) *
            (gram[i * size + j] as number) *
            (reference.weights[j] as number);
      let largest = 0;
      for (let i = 0; i < size; i++) largest = Math.max(largest, gram[i * size + i] as number);
      expect(value).toBeGreaterThanOrEqual(exact.normSquared - 1e-12 * largest);
      expect(value - exact.normSquared).toBeLessThan(1e-3 * largest);
    }
  });

  it('reports converged: false when the safety cap stops it, and refuses a bad cap', () => {
    const gram = gramOf(randomVectors(new Rng(5), 4, 6));
    expect(minNormPointDeepmtl2r(gram, { maxIterations: 0 }).converged).toBe(false);
    expect(() => minNormPointDeepmtl2r(gram, { maxIterations: -1 })).toThrow('maxIterations');
  });
});
