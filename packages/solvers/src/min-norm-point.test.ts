import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { minNormPoint } from './min-norm-point.js';
import {
  combination,
  dot,
  expectOnSimplex,
  gramOf,
  randomSimplexPoint,
  randomVectors,
} from './test-vectors.js';

describe('minNormPoint', () => {
  it('solves hand-computed cases', () => {
    // Three orthonormal vectors: the centroid, norm^2 1/3.
    const orthonormal = minNormPoint([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    for (const weight of orthonormal.weights) expect(weight).toBeCloseTo(1 / 3, 9);
    expect(orthonormal.normSquared).toBeCloseTo(1 / 3, 9);
    expect(orthonormal.converged).toBe(true);
    // Norms 1, 2, 3 orthogonal: a_i proportional to 1 / ||g_i||^2 -> (36, 9, 4) / 49.
    const scaled = minNormPoint([1, 0, 0, 0, 4, 0, 0, 0, 9]);
    [36 / 49, 9 / 49, 4 / 49].forEach((expected, i) => {
      expect(scaled.weights[i]).toBeCloseTo(expected, 8);
    });
    // K = 2 uses the exact pair rule.
    const pair = minNormPoint([4, 0, 0, 1]);
    expect(pair.weights[0]).toBeCloseTo(0.2, 15);
    expect(pair.iterations).toBe(0);
    expect(Array.from(minNormPoint([7]).weights)).toEqual([1]);
  });

  it('1000 seeded random cases: on the simplex, and no random simplex point has a smaller norm', () => {
    const rng = new Rng('min-norm-property');
    for (let trial = 0; trial < 1000; trial++) {
      const size = 2 + rng.int(5);
      // Dimensions below K put 0 inside the hull sometimes, so both the interior and the boundary are hit.
      const vectors = randomVectors(rng, size, 1 + rng.int(8));
      const gram = gramOf(vectors);
      const method = trial % 2 === 0 ? 'frank-wolfe' : 'projected-gradient';
      const result = minNormPoint(gram, { method });
      expectOnSimplex(result.weights, 1e-9);
      expect(result.converged).toBe(true);
      const point = combination(vectors, result.weights);
      expect(dot(point, point)).toBeCloseTo(result.normSquared, 9);
      const scale = Math.max(...vectors.map((v) => dot(v, v)));
      let smallestRandom = Number.POSITIVE_INFINITY;
      for (let other = 0; other < 10; other++) {
        const candidate = combination(vectors, randomSimplexPoint(rng, size));
        smallestRandom = Math.min(smallestRandom, dot(candidate, candidate));
      }
      expect(smallestRandom).toBeGreaterThanOrEqual(result.normSquared - result.gap - 1e-12 * scale);
      // Optimality (KKT): every gradient improves at least as much as the min-norm point along it.
      for (const vector of vectors)
        expect(dot(vector, point)).toBeGreaterThanOrEqual(result.normSquared - 1e-6 * scale);
    }
  });

  it('agrees between Frank-Wolfe and projected gradient, and from a warm start', () => {
    const rng = new Rng('min-norm-methods');
    for (let trial = 0; trial < 100; trial++) {
      const size = 3 + rng.int(6);
      const gram = gramOf(randomVectors(rng, size, size + rng.int(10)));
      const frankWolfe = minNormPoint(gram);
      const projected = minNormPoint(gram, { method: 'projected-gradient' });
      const scale = Math.max(...Array.from({ length: size }, (_, i) => gram[i * size + i] as number));
      expect(Math.abs(frankWolfe.normSquared - projected.normSquared)).toBeLessThanOrEqual(1e-7 * scale);
      const warm = minNormPoint(gram, { init: frankWolfe.weights });
      expect(warm.iterations).toBe(0);
      expect(warm.normSquared).toBeCloseTo(frankWolfe.normSquared, 12);
    }
  });

  it('returns documented answers for degenerate gradients, never NaN', () => {
    // All zero: uniform weights, norm 0.
    expect(Array.from(minNormPoint(new Float64Array(9)).weights)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    // Three identical gradients: every point is optimal; the symmetric one is returned.
    const identical = minNormPoint([2, 2, 2, 2, 2, 2, 2, 2, 2]);
    for (const weight of identical.weights) expect(weight).toBeCloseTo(1 / 3, 12);
    expect(identical.normSquared).toBeCloseTo(2, 12);
    // One zero gradient among three: all weight on it, norm 0.
    const withZero = minNormPoint([1, 0.5, 0, 0.5, 1, 0, 0, 0, 0]);
    expect(withZero.normSquared).toBeLessThanOrEqual(1e-12);
    expect(withZero.weights[2]).toBeCloseTo(1, 9);
    // Opposite pair plus a third vector: the origin is on the segment between the opposite pair.
    const opposite = minNormPoint([1, -1, 0.3, -1, 1, -0.3, 0.3, -0.3, 2]);
    expect(opposite.normSquared).toBeLessThanOrEqual(1e-12);
    expect(opposite.weights[0]).toBeCloseTo(opposite.weights[1] as number, 6);
    for (const result of [identical, withZero, opposite])
      expect(result.weights.every(Number.isFinite)).toBe(true);
  });

  it('respects the iteration cap, and the exact face solve still finishes the job', () => {
    const gram = gramOf(randomVectors(new Rng('cap'), 6, 20));
    const full = minNormPoint(gram);
    for (const method of ['frank-wolfe', 'projected-gradient'] as const) {
      const capped = minNormPoint(gram, { maxIterations: 1, tolerance: 0, method });
      expect(capped.iterations).toBeLessThanOrEqual(1);
      expect(capped.converged).toBe(capped.gap === 0);
      expectOnSimplex(capped.weights, 1e-12);
      expect(capped.normSquared).toBeCloseTo(full.normSquared, 12);
    }
  });

  it('rejects bad input', () => {
    expect(() => minNormPoint([1, 2, 3])).toThrow(/K\*K/);
    expect(() => minNormPoint([1, 0, 0, -1])).toThrow(/negative diagonal/);
    expect(() => minNormPoint([1, 0, 0, 1], { maxIterations: -1 })).toThrow(/maxIterations/);
    expect(() => minNormPoint([1, 0, 0, 1], { tolerance: Number.NaN })).toThrow(/tolerance/);
    expect(() => minNormPoint([1, 0, 0, 1], { init: [1] })).toThrow(/init must have length 2/);
    // @ts-expect-error: a method name that does not exist
    expect(() => minNormPoint([1, 0, 0, 1], { method: 'simplex' })).toThrow(/method must be/);
  });
});
