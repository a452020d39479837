import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { gramOf } from './test-vectors.js';
import { upgradWeights } from './upgrad-weights.js';

function update(rows: number[][], w: Float64Array): number[] {
  return (rows[0] as number[]).map((_, c) =>
    rows.reduce((s, row, k) => s + (w[k] as number) * (row[c] as number), 0),
  );
}

describe('upgradWeights', () => {
  it('no conflict: the projection keeps the mean, weights 1/K (up to the ridge)', () => {
    const w = upgradWeights(
      gramOf([
        [1, 0],
        [0, 1],
      ]),
      { regEps: 0 },
    );
    expect(w[0]).toBeCloseTo(0.5, 12);
    expect(w[1]).toBeCloseTo(0.5, 12);
  });

  it('hand-computed conflict: g = (1, 0), (-1, 0.5) without ridge', () => {
    // trace 2.25: G/2.25; projection of e_1/2: v2 = (1/2) / 1.25 = 0.4; of e_2/2: v1 = 0.5 (G_12 = -1, v1 >= 0 free:
    // min over v1 of v1^2 - v1 (2 * 0.5 * 1) ... -> v1 = 0.5); weights = (0.5 + 0.5, 0.4 + 0.5) = (1, 0.9)
    const w = upgradWeights(
      gramOf([
        [1, 0],
        [-1, 0.5],
      ]),
      { regEps: 0 },
    );
    expect(w[0]).toBeCloseTo(1, 12);
    expect(w[1]).toBeCloseTo(0.9, 12);
  });

  it('the update never conflicts with any task gradient (random K = 2..6), and is non-negative weights', () => {
    const rng = new Rng('upgrad');
    for (let k = 2; k <= 6; k++) {
      for (let trial = 0; trial < 10; trial++) {
        const rows = Array.from({ length: k }, (_, i) =>
          Array.from({ length: 8 }, () => rng.normal() * (i % 2 === 0 ? 1 : 3)),
        );
        const w = upgradWeights(gramOf(rows), { regEps: 0 });
        const d = update(rows, w);
        for (const row of rows) {
          const product = row.reduce((s, x, c) => s + x * (d[c] as number), 0);
          expect(product).toBeGreaterThanOrEqual(-1e-9);
        }
        for (const value of w) expect(value).toBeGreaterThanOrEqual(1 / k - 1e-12);
      }
    }
  });

  it('is scale invariant without the ridge, and a zero Jacobian gives the preference itself', () => {
    const rows = [
      [1, 2, -1],
      [-2, 0.5, 1],
      [0.3, -1, 2],
    ];
    const a = upgradWeights(gramOf(rows), { regEps: 0 });
    const b = upgradWeights(gramOf(rows.map((r) => r.map((x) => 1000 * x))), { regEps: 0 });
    for (let i = 0; i < 3; i++) expect(b[i]).toBeCloseTo(a[i] as number, 9);
    const zero = upgradWeights(new Float64Array(9));
    expect(Array.from(zero)).toEqual([1 / 3, 1 / 3, 1 / 3].map((v) => expect.closeTo(v, 12)));
  });
});
