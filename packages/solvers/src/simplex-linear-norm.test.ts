import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { solveSimplexLinearNorm } from './simplex-linear-norm.js';
import {
  combination,
  dot,
  expectOnSimplex,
  gramOf,
  randomSimplexPoint,
  randomVectors,
} from './test-vectors.js';

describe('solveSimplexLinearNorm', () => {
  it('solves hand-computed problems', () => {
    // Orthonormal g1, g2, linear (0, 0): the min-norm point (1/2, 1/2), value s / sqrt(2).
    const symmetric = solveSimplexLinearNorm([1, 0, 0, 1], [0, 0], 2);
    expect(symmetric.w[0]).toBeCloseTo(0.5, 9);
    expect(symmetric.value).toBeCloseTo(Math.SQRT2, 9);
    // No norm term: the vertex with the smallest linear entry.
    expect(Array.from(solveSimplexLinearNorm([1, 0, 0, 1], [0.3, -0.2], 0).w)).toEqual([0, 1]);
    // Orthonormal, linear (-2, 0), weight 1: F(t) = -2t + sqrt(t^2 + (1 - t)^2) for w = (t, 1 - t) has
    // F'(t) = -2 + (2t - 1) / sqrt(2t^2 - 2t + 1) < 0 on [0, 1]: the vertex t = 1, F = -1.
    const vertex = solveSimplexLinearNorm([1, 0, 0, 1], [-2, 0], 1);
    expect(vertex.w[0]).toBeCloseTo(1, 9);
    expect(vertex.value).toBeCloseTo(-1, 9);
    // 0 inside the hull (opposite unit vectors), linear (0, 0): the optimum is g_w = 0 at (1/2, 1/2), F = 0,
    // certified through the dual bound although ||g_w|| is not differentiable there.
    const cancelling = solveSimplexLinearNorm([1, -1, -1, 1], [0, 0], 1);
    expect(cancelling.converged).toBe(true);
    expect(cancelling.w[0]).toBeCloseTo(0.5, 9);
    expect(cancelling.value).toBeCloseTo(0, 9);
  });

  it('beats random simplex points on 120 seeded problems (WC-MGDA-like linear terms), within its gap', () => {
    const rng = new Rng('linear-norm');
    let unconverged = 0;
    let degenerate = 0;
    for (let trial = 0; trial < 120; trial++) {
      const size = 2 + rng.int(5);
      const dimension = 1 + rng.int(8);
      const vectors = randomVectors(rng, size, dimension);
      const gram = gramOf(vectors);
      const linear = Float64Array.from({ length: size }, () => -Math.abs(rng.normal()));
      const weight = [0.01, 0.3, 1, 5][trial % 4] as number;
      const result = solveSimplexLinearNorm(gram, linear, weight);
      // More tasks than dimensions can put the optimum at g_w = 0 on a degenerate face, where the bisection
      // may stop short of the tolerance (documented); with affinely independent gradients it must converge.
      if (dimension >= size) expect(result.converged).toBe(true);
      else {
        degenerate++;
        if (!result.converged) unconverged++;
      }
      expectOnSimplex(result.w, 1e-9);
      const objective = (w: ArrayLike<number>): number => {
        const g = combination(vectors, w);
        return dot(linear, w) + weight * Math.sqrt(dot(g, g));
      };
      // sqrt of a Gram-computed ||g_w||^2 near 0 amplifies round-off (1e-17 -> 3e-9).
      expect(objective(result.w)).toBeCloseTo(result.value, 7);
      let smallestRandom = Number.POSITIVE_INFINITY;
      for (let other = 0; other < 10; other++) {
        smallestRandom = Math.min(smallestRandom, objective(randomSimplexPoint(rng, size)));
      }
      expect(smallestRandom).toBeGreaterThanOrEqual(result.value - result.gap - 1e-12);
    }
    expect(unconverged).toBeLessThanOrEqual(0.15 * degenerate);
  });

  it('rejects bad input', () => {
    expect(() => solveSimplexLinearNorm([1, 0, 0, 1], [0], 1)).toThrow(/linear must have length 2/);
    expect(() => solveSimplexLinearNorm([1, 0, 0, 1], [0, 0], -1)).toThrow(
      /normWeight must be a finite number >= 0/,
    );
    expect(() => solveSimplexLinearNorm([1, 0, 0, 1], [0, 0], 1, { maxIterations: -1 })).toThrow(
      /maxIterations/,
    );
  });
});
