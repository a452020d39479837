import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './symmetric-eigen.js';
import { expectOnSimplex, gramOf, randomVectors } from './test-vectors.js';
import { wcMgdaWeights } from './wc-mgda-weights.js';

/** The objective alpha.c - u ||K alpha|| / ||K||_2 written out from its definition, for brute force. */
function objectiveFor(gram: Float64Array, losses: number[], r: number[], u: number, lambdaMax: number) {
  const size = losses.length;
  const norm = Math.hypot(...losses.map((l, i) => l * (r[i] as number)));
  return (alpha: ArrayLike<number>): number => {
    let linear = 0;
    let quadratic = 0;
    for (let i = 0; i < size; i++) {
      linear += ((alpha[i] as number) * (r[i] as number) * (losses[i] as number)) / norm;
      for (let j = 0; j < size; j++) {
        quadratic +=
          ((alpha[i] as number) *
            (r[i] as number) *
            (gram[i * size + j] as number) *
            (r[j] as number) *
            (alpha[j] as number)) /
          (norm * norm);
      }
    }
    return linear - (u * Math.sqrt(Math.max(0, quadratic))) / Math.sqrt(lambdaMax);
  };
}

/** Largest eigenvalue of diag(s) M diag(s), s = r / ||r * L|| (the reference's ||K||_2^2). */
function lambdaMax(gram: Float64Array, losses: number[], r: number[]): number {
  const size = losses.length;
  const norm = Math.hypot(...losses.map((l, i) => l * (r[i] as number)));
  const scaled = gram.map(
    (value, index) =>
      ((r[Math.floor(index / size)] as number) * value * (r[index % size] as number)) / (norm * norm),
  );
  return symmetricEigen(scaled, size).values[0] as number;
}

/** Maximum of f over a simplex grid of the given resolution (K = 2 or 3). */
function gridMaximum(
  size: number,
  resolution: number,
  f: (alpha: number[]) => number,
): { value: number; at: number[] } {
  let value = Number.NEGATIVE_INFINITY;
  let at: number[] = [];
  for (let a = 0; a <= resolution; a++) {
    const rest = size === 2 ? [resolution - a] : Array.from({ length: resolution - a + 1 }, (_, b) => b);
    for (const b of rest) {
      const alpha =
        size === 2
          ? [a / resolution, b / resolution]
          : [a / resolution, b / resolution, (resolution - a - b) / resolution];
      const candidate = f(alpha);
      if (candidate > value) {
        value = candidate;
        at = alpha;
      }
    }
  }
  return { value, at };
}

describe('wcMgdaWeights', () => {
  it('solves hand-computed problems', () => {
    // Orthonormal gradients, r = (1/2, 1/2), L = (1, 1): symmetric, so alpha = (1/2, 1/2).
    const symmetric = wcMgdaWeights([1, 0, 0, 1], [1, 1], [0.5, 0.5]);
    expect(symmetric.alpha[0]).toBeCloseTo(0.5, 9);
    // c = (1, 1)/sqrt(2); K = I / (sqrt(2) * ... ): ||K alpha|| / ||K||_2 = ||alpha|| = 1/sqrt(2) at the centre,
    // so the objective is 1/sqrt(2) - 0.1 / sqrt(2).
    expect(symmetric.objective).toBeCloseTo(0.9 / Math.SQRT2, 9);
    // u = 0: the linear problem, the vertex of the largest r_i L_i (the weighted Chebyshev task).
    expect(Array.from(wcMgdaWeights([1, 0, 0, 1], [1, 3], [0.5, 0.5], { u: 0 }).alpha)).toEqual([0, 1]);
    // Orthonormal, r = (1/2, 1/2), L = (2, 1), u = 1: c = (2, 1)/sqrt(5), norm term ||alpha||.
    // alpha = (t, 1 - t): f(t) = (1 + t)/sqrt(5) - sqrt(t^2 + (1 - t)^2); f'(t) = 0 at
    // (2t - 1)/sqrt(2t^2 - 2t + 1) = 1/sqrt(5) -> 5(2t - 1)^2 = 2t^2 - 2t + 1 -> 18t^2 - 18t + 4 = 0 -> t = 2/3.
    const interior = wcMgdaWeights([1, 0, 0, 1], [2, 1], [0.5, 0.5], { u: 1 });
    expect(interior.converged).toBe(true);
    expect(interior.alpha[0]).toBeCloseTo(2 / 3, 8);
  });

  it('is invariant to the scale of the losses, of the gradients and of r', () => {
    const gram = [4, 1, -1, 1, 2, 0.5, -1, 0.5, 3];
    const base = wcMgdaWeights(gram, [0.7, 1.2, 0.4], [0.2, 0.3, 0.5], { u: 0.5 }).alpha;
    const scaled = wcMgdaWeights(
      gram.map((value) => value * 9e-6),
      [7, 12, 4],
      [2, 3, 5],
      { u: 0.5 },
    ).alpha;
    for (let i = 0; i < 3; i++) expect(scaled[i]).toBeCloseTo(base[i] as number, 8);
  });

  for (const size of [2, 3]) {
    it(`matches brute force on a fine simplex grid for K = ${size} (40 random problems)`, () => {
      const rng = new Rng(`wc-mgda-${size}`);
      const resolution = size === 2 ? 20000 : 250;
      for (let trial = 0; trial < 40; trial++) {
        const gram = gramOf(randomVectors(rng, size, 1 + rng.int(5)));
        const losses = Array.from({ length: size }, () => 0.05 + 2 * rng.float());
        const r = Array.from({ length: size }, () => 0.05 + rng.float());
        const u = [0.01, 0.1, 0.5, 2][trial % 4] as number;
        const result = wcMgdaWeights(gram, losses, r, { u });
        expectOnSimplex(result.alpha, 1e-9);
        const f = objectiveFor(gram, losses, r, u, lambdaMax(gram, losses, r));
        // sqrt of a Gram-computed norm near 0 amplifies round-off (as in solveSimplexLinearNorm's own test).
        expect(f(result.alpha)).toBeCloseTo(result.objective, 7);
        const grid = gridMaximum(size, resolution, f);
        // The exact maximiser is never beaten by a grid point, and the grid comes within its resolution: f is
        // Lipschitz with |df/dalpha_i| <= |c_i| + u ||K e_i|| / ||K||_2 <= 1 + u, and the nearest grid point is
        // within L1 distance 2 / resolution of the maximiser.
        expect(f(result.alpha)).toBeGreaterThanOrEqual(grid.value - 1e-12);
        expect(f(result.alpha) - grid.value).toBeLessThanOrEqual(((1 + u) * 2) / resolution);
      }
    });
  }

  it('refuses bad input', () => {
    expect(() => wcMgdaWeights([1, 0, 0, 1], [1, 1], [0.5, 0.5], { u: -1 })).toThrow('u must be >= 0');
    expect(() => wcMgdaWeights([1, 0, 0, 1], [1], [0.5, 0.5])).toThrow('losses');
  });
});
