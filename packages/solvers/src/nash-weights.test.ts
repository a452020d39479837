import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { nashWeights } from './nash-weights.js';
import { combination, dot, gramOf, randomVectors } from './test-vectors.js';

describe('nashWeights', () => {
  it('matches hand-computed cases', () => {
    // Orthogonal gradients: alpha_i^2 ||g_i||^2 = 1, alpha_i = 1 / ||g_i||.
    const orthogonal = nashWeights([1, 0, 0, 4]);
    expect(orthogonal.status).toBe('solved');
    expect(orthogonal.weights[0]).toBeCloseTo(1, 12);
    expect(orthogonal.weights[1]).toBeCloseTo(0.5, 12);
    // Same direction, lengths 1 and 2: alpha_1 (alpha_1 + 2 alpha_2) = 1 = 2 alpha_2 (alpha_1 + 2 alpha_2), so
    // alpha_1 = 2 alpha_2 and alpha_2 = 1 / sqrt(8).
    const colinear = nashWeights([1, 2, 2, 4]);
    expect(colinear.status).toBe('solved');
    expect(colinear.weights[1]).toBeCloseTo(1 / Math.sqrt(8), 12);
    expect(colinear.weights[0]).toBeCloseTo(2 / Math.sqrt(8), 12);
    // Identical unit gradients: alpha_i (alpha_1 + alpha_2) = 1 -> alpha = 1 / sqrt(2) each.
    const identical = nashWeights([1, 1, 1, 1]);
    expect(identical.weights[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(identical.weights[1]).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('satisfies alpha_i (G G^T alpha)_i = 1 with alpha > 0 on 500 seeded random cases', () => {
    const rng = new Rng('nash-property');
    for (let trial = 0; trial < 500; trial++) {
      const size = 2 + rng.int(7);
      const vectors = randomVectors(rng, size, size + rng.int(8));
      const result = nashWeights(gramOf(vectors));
      expect(result.status).toBe('solved');
      expect(result.iterations).toBeLessThanOrEqual(60);
      // Checked on the explicit vectors: each task's improvement g_i.d equals 1 / alpha_i.
      const direction = combination(vectors, result.weights);
      vectors.forEach((g, i) => {
        const alpha = result.weights[i] as number;
        expect(alpha).toBeGreaterThan(0);
        expect(Math.abs(alpha * dot(g, direction) - 1)).toBeLessThanOrEqual(1e-8);
      });
    }
  });

  it('warm-starts from the previous alpha: a nearby problem needs fewer Newton steps', () => {
    const rng = new Rng('nash-warm');
    let coldTotal = 0;
    let warmTotal = 0;
    for (let trial = 0; trial < 50; trial++) {
      const vectors = randomVectors(rng, 4, 10);
      const previous = nashWeights(gramOf(vectors));
      expect(nashWeights(gramOf(vectors), { init: previous.weights }).iterations).toBe(0);
      // The next step's gradients differ slightly.
      const nudged = vectors.map((g) => g.map((value) => value * (1 + 0.01 * rng.normal())));
      coldTotal += nashWeights(gramOf(nudged)).iterations;
      const warm = nashWeights(gramOf(nudged), { init: previous.weights });
      expect(warm.status).toBe('solved');
      warmTotal += warm.iterations;
    }
    expect(warmTotal).toBeLessThan(coldTotal);
  });

  it('scales as 1 / sqrt(scale of the Gram matrix)', () => {
    const gram = gramOf(randomVectors(new Rng('nash-scale'), 3, 5));
    const base = nashWeights(gram).weights;
    const scaled = nashWeights(gram.map((value) => 100 * value)).weights;
    base.forEach((alpha, i) => {
      expect(scaled[i]).toBeCloseTo(alpha / 10, 10);
    });
  });

  it('reports Pareto-stationary inputs instead of diverging, and handles zero gradients', () => {
    // Opposite gradients: no positive solution exists.
    const opposite = nashWeights([1, -1, -1, 1]);
    expect(opposite.status).toBe('pareto-stationary');
    expect(opposite.weights[0]).toBeCloseTo(0.5, 12);
    expect(opposite.weights.every(Number.isFinite)).toBe(true);
    expect(Array.from(nashWeights([1, -1, -1, 1], { init: [0.3, 0.7] }).weights)).toEqual([0.3, 0.7]);
    // A zero gradient gets weight 0; the others are solved among themselves.
    const withZero = nashWeights([1, 0, 0, 0, 0, 0, 0, 0, 4]);
    expect(withZero.status).toBe('solved');
    expect(withZero.weights[1]).toBe(0);
    expect(withZero.weights[0]).toBeCloseTo(1, 12);
    expect(withZero.weights[2]).toBeCloseTo(0.5, 12);
    expect(Array.from(nashWeights(new Float64Array(4)).weights)).toEqual([0, 0]);
  });

  it('says so when the iteration cap stops it', () => {
    const result = nashWeights(gramOf(randomVectors(new Rng('nash-cap'), 5, 8)), { maxIterations: 1 });
    expect(result.status).toBe('not-converged');
    expect(result.iterations).toBe(1);
    expect(result.residual).toBeGreaterThan(1e-10);
  });

  it('stopped early, returns the positive iterate with the smallest residual, never a worse one', () => {
    const vectors = randomVectors(new Rng('nash-best'), 5, 8);
    const gram = gramOf(vectors);
    let previous = Number.POSITIVE_INFINITY;
    for (let cap = 0; cap <= 6; cap++) {
      const result = nashWeights(gram, { maxIterations: cap });
      // The reported residual is that of the returned alpha, recomputed on the vectors.
      const direction = combination(vectors, result.weights);
      const actual = Math.max(
        ...vectors.map((g, i) => Math.abs((result.weights[i] as number) * dot(g, direction) - 1)),
      );
      expect(actual).toBeCloseTo(result.residual, 8);
      expect(result.weights.every((alpha) => alpha > 0)).toBe(true);
      expect(result.residual).toBeLessThanOrEqual(previous);
      previous = result.residual;
    }
  });

  it('rejects bad options', () => {
    expect(() => nashWeights([1, 0, 0, 1], { init: [1] })).toThrow(/init must have length 2/);
    expect(() => nashWeights([1, 0, 0, 1], { tolerance: 0 })).toThrow(/tolerance must be > 0/);
    expect(() => nashWeights([1, 0, 0, 1], { maxIterations: 0.5 })).toThrow(/maxIterations/);
  });
});
