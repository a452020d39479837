import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { epoWeights } from './epo-weights.js';
import { expectOnSimplex, gramOf, randomVectors } from './test-vectors.js';

function multiply(gram: ArrayLike<number>, x: ArrayLike<number>): number[] {
  const size = x.length;
  return Array.from({ length: size }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < size; j++) sum += (gram[i * size + j] as number) * (x[j] as number);
    return sum;
  });
}

describe('epoWeights', () => {
  it('balance mode: moves only the task that is too far from the preference ray (hand-computed)', () => {
    // r = (1/2, 1/2), L = (2, 1), orthonormal gradients (C = I): r L = (1, 1/2), l_hat = (2/3, 1/3),
    // ln(2 l_hat) = (ln 4/3, ln 2/3) = (0.287682, -0.405465), mu = 2/3 0.287682 + 1/3 (-0.405465) = 0.056633;
    // a = r (ln(2 l_hat) - mu) = (0.115525, -0.231049) = C a. Task 0 ascends under a and has the largest r L:
    // constraint alpha_0 >= 0; task 1: alpha_1 >= -0.231. max 0.1155 alpha_0 - 0.231 alpha_1 -> alpha = (1, 0).
    const result = epoWeights([1, 0, 0, 1], [2, 1], [0.5, 0.5]);
    expect(result.mode).toBe('balance');
    expect(result.nonUniformity).toBeCloseTo(0.056633, 6);
    expect(Array.from(result.alpha)).toEqual([1, 0]);
  });

  it('descent mode on the ray: maximises the summed directional derivative, no task ascends (hand-computed)', () => {
    // r = (1/4, 3/4), L = (3, 1): r L = (3/4, 3/4) is on the ray, mu = 0, a = 0. C = [[4, -1], [-1, 1]]:
    // C alpha = (5 alpha_0 - 1, 1 - 2 alpha_0) >= 0 -> alpha_0 in [1/5, 1/2]; 1^T C alpha = 3 alpha_0 -> 1/2.
    const result = epoWeights([4, -1, -1, 1], [3, 1], [0.25, 0.75]);
    expect(result.mode).toBe('descent');
    expect(result.nonUniformity).toBe(0);
    expect(result.alpha[0]).toBeCloseTo(0.5, 12);
    expect(result.alpha[1]).toBeCloseTo(0.5, 12);
  });

  it('the epsilon option decides between the modes', () => {
    // mu = 0.056633 from the first case: balance below, descent above.
    expect(epoWeights([1, 0, 0, 1], [2, 1], [0.5, 0.5], { epsilon: 0.05 }).mode).toBe('balance');
    expect(epoWeights([1, 0, 0, 1], [2, 1], [0.5, 0.5], { epsilon: 0.06 }).mode).toBe('descent');
  });

  it('the LP constraints hold on random problems (K = 2..5), balance and descent', () => {
    const rng = new Rng('epo');
    const modes = new Set<string>();
    for (let trial = 0; trial < 200; trial++) {
      const size = 2 + rng.int(4);
      const gram = gramOf(randomVectors(rng, size, size + rng.int(6)));
      const losses = Array.from({ length: size }, () => 0.1 + rng.float());
      const r = Array.from({ length: size }, () => 0.1 + rng.float());
      const epsilon = trial % 3 === 0 ? 10 : 1e-4; // epsilon 10 forces descent
      const result = epoWeights(gram, losses, r, { epsilon });
      modes.add(result.mode);
      expectOnSimplex(result.alpha, 1e-9);
      const derivatives = multiply(gram, result.alpha); // g_j . d for d = G^T alpha
      const scale = Math.max(...Array.from(gram).map(Math.abs));
      if (result.mode === 'descent' || result.mode === 'relaxed-descent') {
        // No task's loss goes up to first order.
        for (const value of derivatives) expect(value).toBeGreaterThanOrEqual(-1e-9 * scale);
      }
      if (result.mode === 'balance') {
        // The task(s) with the largest r L never go up.
        const rl = losses.map((l, i) => l * (r[i] as number));
        const largest = Math.max(...rl);
        rl.forEach((value, j) => {
          if (value === largest) expect(derivatives[j]).toBeGreaterThanOrEqual(-1e-9 * scale);
        });
      }
    }
    expect(modes.has('balance')).toBe(true);
    expect(modes.has('descent')).toBe(true);
    // Both LPs contain the min-norm point: the round-off fallback is never needed on well-posed problems.
    expect(modes.has('min-norm')).toBe(false);
  });

  it('refuses losses <= 0 (ln of the normalised losses)', () => {
    expect(() => epoWeights([1, 0, 0, 1], [1, 0], [0.5, 0.5])).toThrow('losses must be > 0, got L[1] = 0');
    expect(() => epoWeights([1, 0, 0, 1], [1, 1], [1, 0])).toThrow('preference must be > 0, got r[1] = 0');
  });
});
