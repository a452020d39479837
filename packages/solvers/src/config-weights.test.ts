import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { configWeights } from './config-weights.js';
import { gramOf } from './test-vectors.js';

describe('configWeights', () => {
  it('hand-computed: g1 = (2, 0), g2 = (0, 1): v = (1, 1), g_c = (3/2)(1, 1) -> w = (3/4, 3/2)', () => {
    // u = e1, e2; C = I; a = (1, 1); v = (1, 1), ||v|| = sqrt 2; s = (2 + 1)/sqrt 2; g_c = s v / sqrt 2 = 1.5 (1, 1)
    const { weights, cosines } = configWeights(
      gramOf([
        [2, 0],
        [0, 1],
      ]),
    );
    expect(weights[0]).toBeCloseTo(0.75, 12);
    expect(weights[1]).toBeCloseTo(1.5, 12);
    expect(cosines[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(cosines[1]).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('matches the direct construction with explicit vectors and has equal cosines with every task', () => {
    const rng = new Rng('config');
    for (let k = 2; k <= 5; k++) {
      const rows = Array.from({ length: k }, () => Array.from({ length: k + 4 }, () => rng.normal()));
      const { weights, cosines } = configWeights(gramOf(rows));
      const update = (rows[0] as number[]).map((_, c) =>
        rows.reduce((s, r, j) => s + (weights[j] as number) * (r[c] as number), 0),
      );
      const norm = Math.sqrt(update.reduce((s, x) => s + x * x, 0));
      for (let i = 0; i < k; i++) {
        const row = rows[i] as number[];
        const cos =
          row.reduce((s, x, c) => s + x * (update[c] as number), 0) /
          (norm * Math.sqrt(row.reduce((s, x) => s + x * x, 0)));
        expect(cos).toBeCloseTo(cosines[0] as number, 9);
        expect(cosines[i]).toBeCloseTo(cos, 9);
        expect(cos).toBeGreaterThan(0);
      }
    }
  });

  it('a zero gradient gets weight 0 and all-zero gradients give zero weights', () => {
    const some = configWeights(
      gramOf([
        [1, 0],
        [0, 0],
      ]),
    );
    expect(some.weights[1]).toBe(0);
    expect(some.weights[0]).toBeCloseTo(1, 12);
    expect(Array.from(configWeights(new Float64Array(4)).weights)).toEqual([0, 0]);
  });
});
