import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { solveSimplexLP } from './simplex-lp.js';
import { dot, expectOnSimplex, randomSimplexPoint } from './test-vectors.js';

function feasible(matrix: Float64Array, lower: Float64Array, x: ArrayLike<number>, slack = 1e-9): boolean {
  const size = x.length;
  for (let r = 0; r < lower.length; r++) {
    if (dot(matrix.subarray(r * size, (r + 1) * size), x) < (lower[r] as number) - slack) return false;
  }
  return true;
}

/** All points of the simplex with coordinates in multiples of 1/steps. */
function simplexGrid(size: number, steps: number): number[][] {
  const compositions = (parts: number, total: number): number[][] => {
    if (parts === 1) return [[total]];
    const out: number[][] = [];
    for (let first = 0; first <= total; first++)
      for (const rest of compositions(parts - 1, total - first)) out.push([first, ...rest]);
    return out;
  };
  return compositions(size, steps).map((counts) => counts.map((count) => count / steps));
}

describe('solveSimplexLP', () => {
  it('solves hand-computed programs', () => {
    const plain = solveSimplexLP([1, 2, 3]);
    expect(Array.from(plain.x)).toEqual([1, 0, 0]);
    expect(plain.value).toBe(1);
    // x_1 <= 0.3 written as -x_1 >= -0.3: the rest goes to the next cheapest, value 0.3 + 1.4.
    const capped = solveSimplexLP([1, 2, 3], { matrix: [-1, 0, 0], lower: [-0.3] });
    expect(capped.x[0]).toBeCloseTo(0.3, 12);
    expect(capped.x[1]).toBeCloseTo(0.7, 12);
    expect(capped.value).toBeCloseTo(1.7, 12);
    // A row switched off with -Infinity is ignored; an all-zero row with bound 0 is trivially true.
    expect(
      Array.from(
        solveSimplexLP([1, 2, 3], { matrix: [-1, 0, 0, 0, 0, 0], lower: [Number.NEGATIVE_INFINITY, 0] }).x,
      ),
    ).toEqual([1, 0, 0]);
    // Maximisation by negating c: max (1, 2, 3).x subject to x_3 <= 0.5.
    const maximised = solveSimplexLP([-1, -2, -3], { matrix: [0, 0, -1], lower: [-0.5] });
    expect(Array.from(maximised.x).map((v) => Number(v.toFixed(12)))).toEqual([0, 0.5, 0.5]);
  });

  it('reports infeasible constraints', () => {
    expect(solveSimplexLP([1, 1], { matrix: [1, 0], lower: [2] }).status).toBe('infeasible');
    // x_1 >= 0.7 and x_2 >= 0.7 cannot both hold on the simplex.
    const clash = solveSimplexLP([0, 0], { matrix: [1, 0, 0, 1], lower: [0.7, 0.7] });
    expect(clash.status).toBe('infeasible');
    expect(clash.x.every(Number.isFinite)).toBe(true);
  });

  it('matches a brute-force grid search on 200 seeded feasible programs, redundant and degenerate rows included', () => {
    const rng = new Rng('simplex-lp');
    const grids: Record<number, number[][]> = {
      2: simplexGrid(2, 40),
      3: simplexGrid(3, 30),
      4: simplexGrid(4, 12),
    };
    for (let trial = 0; trial < 200; trial++) {
      const size = 2 + rng.int(3);
      const rowCount = rng.int(5);
      const cost = Float64Array.from({ length: size }, () => rng.normal());
      const matrix = Float64Array.from({ length: rowCount * size }, () => rng.normal());
      // Bounds chosen so a known point is feasible; some rows tight at it (degenerate), some duplicated.
      const anchor = randomSimplexPoint(rng, size);
      const lower = Float64Array.from(
        { length: rowCount },
        (_, r) =>
          dot(matrix.subarray(r * size, (r + 1) * size), anchor) - (rng.float() < 0.3 ? 0 : rng.float()),
      );
      if (rowCount >= 2 && rng.float() < 0.3) {
        matrix.copyWithin(size, 0, size);
        lower[1] = lower[0] as number;
      }
      const result = solveSimplexLP(cost, { matrix, lower });
      expect(result.status).toBe('optimal');
      expectOnSimplex(result.x, 1e-9);
      expect(feasible(matrix, lower, result.x)).toBe(true);
      expect(result.value).toBeLessThanOrEqual(dot(cost, anchor) + 1e-9);
      let gridBest = Number.POSITIVE_INFINITY;
      for (const point of grids[size] as number[][]) {
        if (feasible(matrix, lower, point, 0)) gridBest = Math.min(gridBest, dot(cost, point));
      }
      expect(result.value).toBeLessThanOrEqual(gridBest + 1e-9);
    }
  });

  it('rejects malformed input', () => {
    expect(() => solveSimplexLP([])).toThrow(/at least one variable/);
    expect(() => solveSimplexLP([1, 2], { matrix: [1], lower: [0] })).toThrow(
      /A has 1 entries, expected 1 x 2/,
    );
    expect(() => solveSimplexLP([1, 2], { matrix: [1, 0], lower: [Number.NaN] })).toThrow(
      /lower\[0\] must be a number or -Infinity/,
    );
    expect(() => solveSimplexLP([1, Number.NaN])).toThrow(/c\[1\] must be finite/);
  });
});
