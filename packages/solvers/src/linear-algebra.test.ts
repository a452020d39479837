import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { largestEigenvalueBound, solveLinearSystem } from './linear-algebra.js';
import { gramOf, randomVectors } from './test-vectors.js';

describe('solveLinearSystem', () => {
  it('solves a hand-computed system that needs a row swap', () => {
    // [0 1; 2 1] x = [3; 5] -> x = (1, 3)
    expect(Array.from(solveLinearSystem([0, 1, 2, 1], [3, 5]) ?? [])).toEqual([1, 3]);
  });

  it('reproduces b from random well-conditioned systems', () => {
    const rng = new Rng('linear');
    for (let trial = 0; trial < 100; trial++) {
      const size = 1 + rng.int(8);
      const matrix = Float64Array.from({ length: size * size }, () => rng.normal());
      for (let i = 0; i < size; i++) matrix[i * size + i] = (matrix[i * size + i] as number) + 3 * size;
      const rhs = Float64Array.from({ length: size }, () => rng.normal());
      const x = solveLinearSystem(matrix, rhs) as Float64Array;
      for (let i = 0; i < size; i++) {
        let row = 0;
        for (let j = 0; j < size; j++) row += (matrix[i * size + j] as number) * (x[j] as number);
        expect(row).toBeCloseTo(rhs[i] as number, 10);
      }
    }
  });

  it('returns null for singular systems and rejects a mismatched size', () => {
    expect(solveLinearSystem([1, 2, 2, 4], [1, 2])).toBeNull();
    expect(solveLinearSystem([0, 0, 0, 0], [1, 2])).toBeNull();
    expect(() => solveLinearSystem([1, 2, 3], [1, 2])).toThrow(/3 entries, expected 4/);
  });
});

describe('largestEigenvalueBound', () => {
  it('bounds the top eigenvalue from above, within 5% (plus the trace floor) of it', () => {
    expect(largestEigenvalueBound([2, 0, 0, 5], 2)).toBeGreaterThanOrEqual(5);
    expect(largestEigenvalueBound([2, 0, 0, 5], 2)).toBeLessThanOrEqual(5.26);
    expect(largestEigenvalueBound([0, 0, 0, 0], 2)).toBe(0);
    const rng = new Rng('eigen');
    for (let trial = 0; trial < 50; trial++) {
      const size = 2 + rng.int(6);
      const gram = gramOf(randomVectors(rng, size, size + 2));
      const bound = largestEigenvalueBound(gram, size);
      // Rayleigh quotients never exceed the top eigenvalue.
      for (let probe = 0; probe < 20; probe++) {
        const v = Float64Array.from({ length: size }, () => rng.normal());
        let numerator = 0;
        let denominator = 0;
        for (let i = 0; i < size; i++) {
          denominator += (v[i] as number) ** 2;
          for (let j = 0; j < size; j++)
            numerator += (v[i] as number) * (gram[i * size + j] as number) * (v[j] as number);
        }
        expect(numerator / denominator).toBeLessThanOrEqual(bound * (1 + 1e-12));
      }
    }
  });
});
