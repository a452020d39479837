import { ConfigError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { deepMtl2rRows, dirichletRows, preferenceRows, simplexLatticeRows } from './preference-rows.js';

describe('preference rows', () => {
  it("DeepMTL2R's two-task rows are [x, 1 - x] for x = 0.001 + 0.11 k, k = 0..9", () => {
    const rows = deepMtl2rRows();
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual([0.001, 0.999]);
    expect(rows[1]).toEqual([0.111, 0.889]);
    expect(rows[9]).toEqual([0.991, 0.009]);
  });

  it('the simplex lattice has C(d + K - 1, K - 1) rows on the simplex, multiples of 1/d', () => {
    const rows = simplexLatticeRows(3, 2);
    expect(rows).toEqual([
      [1, 0, 0],
      [0.5, 0.5, 0],
      [0.5, 0, 0.5],
      [0, 1, 0],
      [0, 0.5, 0.5],
      [0, 0, 1],
    ]);
    expect(simplexLatticeRows(4, 4)).toHaveLength(35);
  });

  it('Dirichlet rows are seeded, on the simplex, and differ between seeds', () => {
    const a = dirichletRows(5, 10, 7, 1);
    expect(a).toEqual(dirichletRows(5, 10, 7, 1));
    expect(a).not.toEqual(dirichletRows(5, 10, 8, 1));
    for (const row of a) {
      expect(row).toHaveLength(5);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 8);
      for (const v of row) expect(v).toBeGreaterThanOrEqual(0);
    }
    // small alpha concentrates the mass on few tasks: the largest entry is large on average
    const sparse = dirichletRows(5, 200, 1, 0.1).map((row) => Math.max(...row));
    const flat = dirichletRows(5, 200, 1, 10).map((row) => Math.max(...row));
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(mean(sparse)).toBeGreaterThan(0.7);
    expect(mean(flat)).toBeLessThan(0.35);
  });

  it('errors name the sweep-file key: explicit rows of the wrong length, deepmtl2r for 3 tasks', () => {
    const bad = () =>
      preferenceRows(
        {
          generator: 'list',
          rows: [
            [0.5, 0.5],
            [1, 0, 0],
          ],
        },
        2,
        'grid.preferences',
      );
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/grid\.preferences\.rows\[1\]: has 3 entries; expected 2/);
    expect(() => preferenceRows({ generator: 'deepmtl2r' }, 3, 'grid.preferences')).toThrow(
      /grid\.preferences\.generator: deepmtl2r rows are for two tasks/,
    );
  });
});
