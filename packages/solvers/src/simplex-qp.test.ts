import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { solveSimplexQP } from './simplex-qp.js';
import { expectOnSimplex, gramOf, randomSimplexPoint, randomVectors } from './test-vectors.js';

function objective(q: Float64Array, c: Float64Array, x: ArrayLike<number>): number {
  const size = c.length;
  let value = 0;
  for (let i = 0; i < size; i++) {
    value += (c[i] as number) * (x[i] as number);
    for (let j = 0; j < size; j++)
      value += 0.5 * (x[i] as number) * (q[i * size + j] as number) * (x[j] as number);
  }
  return value;
}

describe('solveSimplexQP', () => {
  it('solves hand-computed problems', () => {
    // 0.5 ||x||^2 on the simplex: the centroid, value 1 / (2K).
    const centroid = solveSimplexQP([1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0]);
    for (const value of centroid.x) expect(value).toBeCloseTo(1 / 3, 9);
    expect(centroid.value).toBeCloseTo(1 / 6, 12);
    // 0.5 ||x||^2 - x_1: the unconstrained minimum (1, 0, 0) is on the simplex.
    const vertex = solveSimplexQP([1, 0, 0, 0, 1, 0, 0, 0, 1], [-1, 0, 0]);
    expect(vertex.x[0]).toBeCloseTo(1, 9);
    expect(vertex.value).toBeCloseTo(-0.5, 9);
    // Q = 0: a linear program, solved at the vertex with the smallest c.
    const linear = solveSimplexQP([0, 0, 0, 0], [3, -2]);
    expect(Array.from(linear.x)).toEqual([0, 1]);
    expect(linear.value).toBe(-2);
  });

  it('beats random simplex points on 500 seeded convex problems, within its certified gap', () => {
    const rng = new Rng('simplex-qp');
    for (let trial = 0; trial < 500; trial++) {
      const size = 2 + rng.int(6);
      const q = gramOf(randomVectors(rng, size, 1 + rng.int(8)));
      const c = Float64Array.from({ length: size }, () => rng.normal());
      const result = solveSimplexQP(q, c);
      expect(result.converged).toBe(true);
      expectOnSimplex(result.x, 1e-9);
      expect(objective(q, c, result.x)).toBeCloseTo(result.value, 9);
      let smallestRandom = Number.POSITIVE_INFINITY;
      for (let other = 0; other < 10; other++) {
        smallestRandom = Math.min(smallestRandom, objective(q, c, randomSimplexPoint(rng, size)));
      }
      expect(smallestRandom).toBeGreaterThanOrEqual(result.value - result.gap - 1e-12);
    }
  });

  it('rejects bad input', () => {
    expect(() => solveSimplexQP([1, 0, 0, 1], [1])).toThrow(/c must have length 2/);
    expect(() => solveSimplexQP([1, 2, 0, 1], [0, 0])).toThrow(/not symmetric/);
    expect(() => solveSimplexQP([1, 0, 0, 1], [0, 0], { maxIterations: 1.5 })).toThrow(/maxIterations/);
  });
});
