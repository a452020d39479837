import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { cagradWeights } from './cagrad-weights.js';
import {
  combination,
  dot,
  expectOnSimplex,
  gramOf,
  randomSimplexPoint,
  randomVectors,
} from './test-vectors.js';

describe('cagradWeights', () => {
  it('matches the hand-computed symmetric case', () => {
    // Orthonormal g1, g2: by symmetry w = (1/2, 1/2), g_w = g0, so d = g0 + c ||g0|| g0 / ||g0|| = (1 + c) g0,
    // and with the default rescale d / (1 + c^2): weights (1 + c) / (2 (1 + c^2)).
    const c = 0.4;
    const result = cagradWeights([1, 0, 0, 1], c);
    for (const weight of result.weights) expect(weight).toBeCloseTo((1 + c) / (2 * (1 + c * c)), 9);
    expect(result.worstImprovement).toBeCloseTo(0.5 * (1 + c), 9);
    expect(cagradWeights([1, 0, 0, 1], c, { rescale: 'none' }).weights[0]).toBeCloseTo((1 + c) / 2, 9);
    expect(cagradWeights([1, 0, 0, 1], c, { rescale: 'one-plus-c' }).weights[0]).toBeCloseTo(0.5, 9);
  });

  it('with c = 0 is the mean gradient', () => {
    const gram = gramOf(randomVectors(new Rng('c0'), 4, 6));
    expect(Array.from(cagradWeights(gram, 0).weights)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('its direction is optimal on 300 seeded random cases: no point of the ball improves the worst task more', () => {
    const rng = new Rng('cagrad-optimality');
    for (let trial = 0; trial < 300; trial++) {
      const size = 2 + rng.int(5);
      const vectors = randomVectors(rng, size, size + rng.int(6));
      const c = [0.1, 0.4, 0.8, 2][trial % 4] as number;
      const result = cagradWeights(gramOf(vectors), c, { rescale: 'none' });
      expect(result.converged).toBe(true);
      expectOnSimplex(result.simplexWeights, 1e-9);
      const direction = combination(vectors, result.weights);
      const worst = (d: Float64Array): number => Math.min(...vectors.map((g) => dot(g, d)));
      const scale = Math.max(...vectors.map((g) => dot(g, g)));
      expect(worst(direction)).toBeCloseTo(result.worstImprovement, 9);
      // d lies in the ball ||d - g0|| <= c ||g0||.
      const mean = combination(vectors, new Float64Array(size).fill(1 / size));
      const radius = c * Math.sqrt(dot(mean, mean));
      const offset = direction.map((value, k) => value - (mean[k] as number));
      expect(Math.sqrt(dot(offset, offset))).toBeLessThanOrEqual(radius * (1 + 1e-9) + 1e-12);
      // Strong duality: the primal value min_i g_i.d equals the dual minimum g_w.g0 + c ||g0|| ||g_w||,
      // and no other simplex point has a smaller dual value (weak duality bounds them all).
      for (let other = 0; other < 10; other++) {
        const gw = combination(vectors, randomSimplexPoint(rng, size));
        expect(dot(gw, mean) + radius * Math.sqrt(dot(gw, gw))).toBeGreaterThanOrEqual(
          result.worstImprovement - 1e-7 * scale,
        );
        // A random point of the ball improves the worst task no more than d does.
        const u = Float64Array.from({ length: mean.length }, () => rng.normal());
        const uNorm = Math.sqrt(dot(u, u));
        const shrink = rng.float();
        const candidate = mean.map((value, k) => value + (radius * shrink * (u[k] as number)) / uNorm);
        expect(worst(candidate)).toBeLessThanOrEqual(result.worstImprovement + 1e-7 * scale);
      }
    }
  });

  it('warm-starts from the previous simplex weights', () => {
    const gram = gramOf(randomVectors(new Rng('cagrad-warm'), 5, 9));
    const cold = cagradWeights(gram, 0.4);
    const warm = cagradWeights(gram, 0.4, { init: cold.simplexWeights });
    expect(warm.iterations).toBeLessThan(cold.iterations);
    cold.weights.forEach((weight, i) => {
      expect(warm.weights[i]).toBeCloseTo(weight, 6);
    });
  });

  it('returns documented, finite answers for degenerate gradients', () => {
    const divisor = 1 + 0.4 * 0.4;
    // All zero: d = g0 = 0, weights 1/K (rescaled).
    expect(Array.from(cagradWeights(new Float64Array(4)).weights)).toEqual([0.5 / divisor, 0.5 / divisor]);
    // Opposite equal gradients: g0 = 0 so the ball is a point; weights 1/K, d = 0.
    expect(Array.from(cagradWeights([1, -1, -1, 1]).weights)).toEqual([0.5 / divisor, 0.5 / divisor]);
    // Identical gradients: d = (1 + c) g, shared equally.
    const identical = cagradWeights([2, 2, 2, 2], 0.4, { rescale: 'none' });
    expect((identical.weights[0] as number) + (identical.weights[1] as number)).toBeCloseTo(1.4, 9);
    expect(identical.weights.every(Number.isFinite)).toBe(true);
    // A zero gradient among others: finite, and that task's improvement (0) is the worst possible.
    const withZero = cagradWeights([1, 0.3, 0, 0.3, 1, 0, 0, 0, 0], 0.4);
    expect(withZero.weights.every(Number.isFinite)).toBe(true);
    expect(withZero.worstImprovement).toBeCloseTo(0, 9);
  });

  it('rejects bad options', () => {
    expect(() => cagradWeights([1, 0, 0, 1], -0.1)).toThrow(/c must be a finite number >= 0/);
    // @ts-expect-error: not a rescale mode
    expect(() => cagradWeights([1, 0, 0, 1], 0.4, { rescale: 2 })).toThrow(/rescale must be/);
    expect(() => cagradWeights([1, 0, 0, 1], 0.4, { maxIterations: -2 })).toThrow(/maxIterations/);
    expect(() => cagradWeights([1, 0, 0, 1], 0.4, { init: [1, 0, 0] })).toThrow(/init must have length 2/);
  });
});
