import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { fairgradWeights } from './fairgrad-weights.js';
import { gramOf } from './test-vectors.js';

function randomGram(rng: Rng, k: number, p: number, scale = 1): Float64Array {
  return gramOf(Array.from({ length: k }, () => Array.from({ length: p }, () => scale * rng.normal())));
}

describe('fairgradWeights', () => {
  it('hand-computed: orthogonal gradients of norms^2 a, b give w_i = a_i^(-alpha/(alpha+1))', () => {
    // G = diag(4, 1), alpha = 1: 4 w1 = 1 / w1 -> w1 = 1/2; w2 = 1
    const one = fairgradWeights([4, 0, 0, 1], 1);
    expect(one.converged).toBe(true);
    expect(one.weights[0]).toBeCloseTo(0.5, 12);
    expect(one.weights[1]).toBeCloseTo(1, 12);
    // alpha = 2: 4 w1 = w1^(-1/2) -> w1^(3/2) = 1/4 -> w1 = 4^(-2/3)
    const two = fairgradWeights([4, 0, 0, 1], 2);
    expect(two.weights[0]).toBeCloseTo(4 ** (-2 / 3), 12);
    expect(two.weights[1]).toBeCloseTo(1, 12);
  });

  it('solves G w = w^(-1/alpha) with positive weights on random Gram matrices of any scale', () => {
    const rng = new Rng('fairgrad');
    for (const alpha of [0.5, 1, 2, 5]) {
      for (let k = 2; k <= 6; k++) {
        for (const scale of [1e-3, 1, 30]) {
          const gram = randomGram(rng, k, k + 4, scale);
          const result = fairgradWeights(gram, alpha);
          expect(result.converged).toBe(true);
          for (let i = 0; i < k; i++) {
            expect(result.weights[i]).toBeGreaterThan(0);
            let gw = 0;
            for (let j = 0; j < k; j++) gw += (gram[i * k + j] as number) * (result.weights[j] as number);
            const utility = (result.weights[i] as number) ** (-1 / alpha);
            expect(Math.abs(gw - utility)).toBeLessThan(1e-8 * utility);
          }
        }
      }
    }
  });

  it('handles conflicting gradients (negative off-diagonal) and a rank-deficient Gram matrix', () => {
    const conflict = fairgradWeights([1, -0.9, -0.9, 1], 1);
    expect(conflict.converged).toBe(true);
    // symmetric problem: equal weights, w (1 - 0.9) = 1 / w -> w = sqrt(10)
    expect(conflict.weights[0]).toBeCloseTo(Math.sqrt(10), 10);
    const rank1 = fairgradWeights([1, 1, 1, 1], 1);
    expect(rank1.converged).toBe(true);
    expect(rank1.weights[0]).toBeCloseTo(Math.SQRT1_2, 10);
  });

  it('says it did not converge for a zero Gram matrix, and refuses a bad alpha', () => {
    const zero = fairgradWeights([0, 0, 0, 0], 1);
    expect(zero.converged).toBe(false);
    expect(Array.from(zero.weights)).toEqual([1, 1]);
    expect(() => fairgradWeights([1], 0)).toThrow('alpha must be > 0');
  });
});
