import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { numericalRank, pseudoInverseSymmetric, symmetricEigen } from './symmetric-eigen.js';
import { gramOf } from './test-vectors.js';

function randomGram(rng: Rng, k: number, p: number): Float64Array {
  return gramOf(Array.from({ length: k }, () => Array.from({ length: p }, () => rng.normal())));
}

function multiply(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += (a[i * k + m] as number) * (b[m * k + j] as number);
      out[i * k + j] = s;
    }
  return out;
}

describe('symmetricEigen', () => {
  it('matches a hand-computed 2 x 2 case: [[2, 1], [1, 2]] has eigenvalues 3 and 1', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    // eigenvector of 3 is (1, 1) / sqrt 2 up to sign
    expect(Math.abs(vectors[0] as number)).toBeCloseTo(Math.SQRT1_2, 14);
    expect((vectors[0] as number) * (vectors[2] as number)).toBeCloseTo(0.5, 14);
  });

  it('reconstructs random symmetric matrices with orthonormal vectors (K = 1..8)', () => {
    const rng = new Rng('eigen');
    for (let k = 1; k <= 8; k++) {
      const a = randomGram(rng, k, k + 3);
      const { values, vectors } = symmetricEigen(a, k);
      for (let c = 1; c < k; c++) expect(values[c - 1]).toBeGreaterThanOrEqual(values[c] as number);
      const scale = Math.max(...Array.from(a, Math.abs));
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++) {
          let rebuilt = 0;
          let inner = 0;
          for (let c = 0; c < k; c++) {
            rebuilt +=
              (vectors[i * k + c] as number) * (values[c] as number) * (vectors[j * k + c] as number);
            inner += (vectors[c * k + i] as number) * (vectors[c * k + j] as number);
          }
          expect(Math.abs(rebuilt - (a[i * k + j] as number))).toBeLessThan(1e-12 * scale);
          expect(inner).toBeCloseTo(i === j ? 1 : 0, 12);
        }
    }
  });
});

describe('pseudoInverseSymmetric', () => {
  it('is the inverse of a non-singular matrix', () => {
    const rng = new Rng('pinv');
    const a = randomGram(rng, 4, 10);
    const product = multiply(a, pseudoInverseSymmetric(a, 4), 4);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) expect(product[i * 4 + j]).toBeCloseTo(i === j ? 1 : 0, 9);
  });

  it('satisfies the Moore-Penrose conditions for a rank-deficient Gram matrix (K = 5, rank 2)', () => {
    const rng = new Rng('pinv-rank');
    const a = randomGram(rng, 5, 2);
    const { values } = symmetricEigen(a, 5);
    expect(numericalRank(values, 5)).toBe(2);
    const pinv = pseudoInverseSymmetric(a, 5);
    const apa = multiply(multiply(a, pinv, 5), a, 5);
    const pap = multiply(multiply(pinv, a, 5), pinv, 5);
    const scaleA = Math.max(...Array.from(a, Math.abs));
    const scaleP = Math.max(...Array.from(pinv, Math.abs));
    for (let i = 0; i < 25; i++) {
      expect(Math.abs((apa[i] as number) - (a[i] as number))).toBeLessThan(1e-9 * scaleA);
      expect(Math.abs((pap[i] as number) - (pinv[i] as number))).toBeLessThan(1e-9 * scaleP);
    }
  });

  it('is zero for the zero matrix', () => {
    expect(Array.from(pseudoInverseSymmetric([0, 0, 0, 0], 2))).toEqual([0, 0, 0, 0]);
  });
});
