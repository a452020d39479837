import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { solveBoundedQP } from './bounded-qp.js';

function objective(q: Float64Array, c: Float64Array, x: ArrayLike<number>): number {
  const k = c.length;
  let value = 0;
  for (let i = 0; i < k; i++) {
    value += (c[i] as number) * (x[i] as number);
    for (let j = 0; j < k; j++) value += 0.5 * (x[i] as number) * (q[i * k + j] as number) * (x[j] as number);
  }
  return value;
}

function randomPositiveDefinite(rng: Rng, k: number): Float64Array {
  const rows = Array.from({ length: k }, () => Array.from({ length: k + 2 }, () => rng.normal()));
  const q = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++)
      q[i * k + j] =
        (rows[i] as number[]).reduce((s, v, m) => s + v * ((rows[j] as number[])[m] as number), 0) +
        (i === j ? 1e-3 : 0);
  return q;
}

describe('solveBoundedQP', () => {
  it('hand-computed: min 0.5 (x1^2 + x2^2) - x1 + x2, x >= 0 is x = (1, 0) with multiplier 1 on x2', () => {
    const result = solveBoundedQP([1, 0, 0, 1], [-1, 1], [0, 0]);
    expect(Array.from(result.x)).toEqual([1, 0]);
    expect(result.multipliers[0]).toBe(0);
    expect(result.multipliers[1]).toBeCloseTo(1, 14);
  });

  it('UPGrad on two opposite gradients: projecting e_1 onto the dual cone of g = (1, 0), (-1, 0.5)', () => {
    // G = [[1, -1], [-1, 1.25]]; min v^T G v, v >= (1, 0): v2 = 1 / 1.25 = 0.8 (free), v1 at its bound 1
    const result = solveBoundedQP([1, -1, -1, 1.25], [0, 0], [1, 0]);
    expect(result.x[0]).toBeCloseTo(1, 14);
    expect(result.x[1]).toBeCloseTo(0.8, 14);
    // the projected vector J^T v = (1 - 0.8, 0.4) = (0.2, 0.4) has non-negative products with both rows
    expect(0.2 * 1).toBeGreaterThanOrEqual(0);
    expect(0.2 * -1 + 0.4 * 0.5).toBeCloseTo(0, 14);
  });

  it('satisfies KKT and beats every feasible random point (K = 2..7)', () => {
    const rng = new Rng('bounded-qp');
    for (let k = 2; k <= 7; k++) {
      for (let trial = 0; trial < 20; trial++) {
        const q = randomPositiveDefinite(rng, k);
        const c = Float64Array.from({ length: k }, () => rng.normal());
        const lower = Float64Array.from({ length: k }, () => rng.normal() * 0.5);
        const { x, multipliers } = solveBoundedQP(q, c, lower);
        const best = objective(q, c, x);
        for (let i = 0; i < k; i++) {
          expect(x[i]).toBeGreaterThanOrEqual((lower[i] as number) - 1e-12);
          expect(multipliers[i]).toBeGreaterThanOrEqual(0);
          // complementary slackness
          expect(
            Math.abs((multipliers[i] as number) * ((x[i] as number) - (lower[i] as number))),
          ).toBeLessThan(1e-9);
        }
        for (let probe = 0; probe < 50; probe++) {
          const y = Float64Array.from(x, (v, i) => Math.max(lower[i] as number, v + 0.3 * rng.normal()));
          expect(objective(q, c, y)).toBeGreaterThanOrEqual(best - 1e-10);
        }
      }
    }
  });

  it('refuses mismatched sizes', () => {
    expect(() => solveBoundedQP([1], [1, 2], [0, 0])).toThrow('Q has 1 entries');
  });
});
