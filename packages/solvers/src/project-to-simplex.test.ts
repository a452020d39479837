import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { projectToSimplex } from './project-to-simplex.js';
import { expectOnSimplex, randomSimplexPoint } from './test-vectors.js';

function distanceSquared(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += ((a[i] as number) - (b[i] as number)) ** 2;
  return total;
}

describe('projectToSimplex', () => {
  it('matches hand-computed projections', () => {
    expect(Array.from(projectToSimplex([0.5, 0.5]))).toEqual([0.5, 0.5]);
    expect(Array.from(projectToSimplex([2, 0]))).toEqual([1, 0]);
    // sorted 0.4, 0.3, -1: threshold (0.7 - 1) / 2 = -0.15
    const projected = projectToSimplex([0.4, 0.3, -1]);
    expect(projected[0]).toBeCloseTo(0.55, 14);
    expect(projected[1]).toBeCloseTo(0.45, 14);
    expect(projected[2]).toBe(0);
    // Equal values: shift all by the same amount.
    expect(Array.from(projectToSimplex([5, 5, 5, 5]))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(projectToSimplex([3, 1], 4))).toEqual([3, 1]);
  });

  it('is idempotent, lands on the simplex and beats 1000 random simplex points (seeded)', () => {
    const rng = new Rng('project-to-simplex');
    for (let trial = 0; trial < 1000; trial++) {
      const size = 1 + rng.int(8);
      const values = Float64Array.from({ length: size }, () => 3 * rng.normal());
      const projected = projectToSimplex(values);
      expectOnSimplex(projected, 1e-12);
      const again = projectToSimplex(projected);
      for (let i = 0; i < size; i++) expect(again[i]).toBeCloseTo(projected[i] as number, 12);
      const best = distanceSquared(values, projected);
      for (let other = 0; other < 5; other++) {
        expect(distanceSquared(values, randomSimplexPoint(rng, size))).toBeGreaterThanOrEqual(best - 1e-12);
      }
    }
  });

  it('satisfies the KKT conditions: one threshold, positive coordinates shifted by it, the rest below it', () => {
    const rng = new Rng('simplex-kkt');
    for (let trial = 0; trial < 200; trial++) {
      const size = 2 + rng.int(6);
      const values = Float64Array.from({ length: size }, () => rng.normal());
      const projected = projectToSimplex(values);
      const positive = Array.from(projected.keys()).filter((i) => (projected[i] as number) > 0);
      const threshold =
        (values[positive[0] as number] as number) - (projected[positive[0] as number] as number);
      for (let i = 0; i < size; i++) {
        if ((projected[i] as number) > 0)
          expect((values[i] as number) - (projected[i] as number)).toBeCloseTo(threshold, 12);
        else expect(values[i] as number).toBeLessThanOrEqual(threshold + 1e-12);
      }
    }
  });

  it('rejects empty input, non-finite values and a bad radius', () => {
    expect(() => projectToSimplex([])).toThrow(/at least one value/);
    expect(() => projectToSimplex([1, Number.NaN])).toThrow(/value\[1\] must be finite/);
    expect(() => projectToSimplex([1], 0)).toThrow(/radius must be a positive finite number, got 0/);
  });
});
