import { describe, expect, it } from 'vitest';
import { epoDeepMtl2rWeights } from './epo-deepmtl2r-weights.js';

describe('epoDeepMtl2rWeights (DeepMTL2R epo_qp_get_alpha)', () => {
  it('descends with the anchor a = L on the ray (hand-computed)', () => {
    // M = I (||M||_2 = 1), r = (1/2, 1/2), L = (1, 1): q = (1, 1)/sqrt 2, sine 0, a = (1, 1);
    // min ||alpha - (1, 1)||^2 on the simplex -> (1/2, 1/2).
    const result = epoDeepMtl2rWeights([1, 0, 0, 1], [1, 1], [0.5, 0.5]);
    expect(result.balancing).toBe(false);
    expect(result.sine).toBeCloseTo(0, 7);
    expect(result.alpha[0]).toBeCloseTo(0.5, 10);
  });

  it('balances with the anchor L - (L.q) q off the ray (hand-computed)', () => {
    // L = (2, 1): L.q = 3/sqrt 2, ||L||^2 = 5, sine = sqrt(1 - 4.5/5) = sqrt(0.1); a = (2, 1) - 1.5 (1, 1)
    // = (0.5, -0.5); min ||alpha - a||^2 on the simplex -> (1, 0).
    const result = epoDeepMtl2rWeights([1, 0, 0, 1], [2, 1], [0.5, 0.5]);
    expect(result.balancing).toBe(true);
    expect(result.sine).toBeCloseTo(Math.sqrt(0.1), 12);
    expect(result.alpha[0]).toBeCloseTo(1, 10);
    // The preference's scale does not matter: q is normalised.
    expect(epoDeepMtl2rWeights([1, 0, 0, 1], [2, 1], [3, 3]).alpha[0]).toBeCloseTo(1, 10);
  });

  it('divides M and a by the spectral norm ||M||_2 (not by the trace or the largest entry)', () => {
    // M = diag(4, 1): ||M||_2 = 4, M' = diag(1, 1/4); r = (1/2, 1/2), L = (1, 1) -> a' = (1/4, 1/4).
    // min (alpha_0 - 1/4)^2 + (alpha_1 / 4 - 1/4)^2 = (alpha_0 - 1/4)^2 + (alpha_0 / 4)^2 (alpha_1 = 1 - alpha_0):
    // derivative 2 (alpha_0 - 1/4) + alpha_0 / 8 = 0 -> alpha_0 = (1/2) / (17/8) = 4/17.
    const result = epoDeepMtl2rWeights([4, 0, 0, 1], [1, 1], [0.5, 0.5]);
    expect(result.alpha[0]).toBeCloseTo(4 / 17, 10);
  });

  it('all-zero gradients: the reference divides by zero and falls back to r / sum r', () => {
    const result = epoDeepMtl2rWeights([0, 0, 0, 0], [1, 2], [1, 3]);
    expect(result.solved).toBe(false);
    expect(Array.from(result.alpha)).toEqual([0.25, 0.75]);
  });
});
