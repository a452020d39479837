import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { refineOnSimplex } from './simplex-active-set.js';
import { expectOnSimplex, gramOf, randomSimplexPoint, randomVectors } from './test-vectors.js';

describe('refineOnSimplex', () => {
  it('finishes a hand-computed problem from a rough start', () => {
    // min 0.5 ||x||^2 - x_1 over the simplex in R^3: optimum (1, 0, 0).
    const q = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    const c = Float64Array.of(-1, 0, 0);
    const x = refineOnSimplex(q, c, Float64Array.of(0.2, 0.5, 0.3), 1e-12);
    expect(Array.from(x ?? [])).toEqual([1, 0, 0]);
    // min 0.5 ||x||^2: the centroid, reached by adding vertices to a one-vertex start.
    const centroid = refineOnSimplex(q, new Float64Array(3), Float64Array.of(1, 0, 0), 1e-12) as Float64Array;
    for (const value of centroid) expect(value).toBeCloseTo(1 / 3, 14);
  });

  it('reaches the KKT point from random starts on 200 seeded strictly convex problems', () => {
    const rng = new Rng('active-set');
    for (let trial = 0; trial < 200; trial++) {
      const size = 2 + rng.int(6);
      const q = gramOf(randomVectors(rng, size, size + 2));
      const c = Float64Array.from({ length: size }, () => rng.normal());
      const x = refineOnSimplex(q, c, randomSimplexPoint(rng, size), 1e-12);
      expect(x).not.toBeNull();
      expectOnSimplex(x as Float64Array, 1e-9);
      // KKT: the gradient is equal (level) on the support and not below it elsewhere.
      const gradient = Float64Array.from({ length: size }, (_, i) => {
        let sum = c[i] as number;
        for (let j = 0; j < size; j++)
          sum += (q[i * size + j] as number) * ((x as Float64Array)[j] as number);
        return sum;
      });
      let level = 0;
      for (let i = 0; i < size; i++) level += (gradient[i] as number) * ((x as Float64Array)[i] as number);
      const scale = Math.max(...Array.from(gradient, Math.abs), 1);
      for (let i = 0; i < size; i++) {
        expect(gradient[i] as number).toBeGreaterThanOrEqual(level - 1e-9 * scale);
        if (((x as Float64Array)[i] as number) > 1e-12) expect(gradient[i]).toBeCloseTo(level, 7);
      }
    }
  });
});
