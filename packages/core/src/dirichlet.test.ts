import { describe, expect, it } from 'vitest';
import { sampleDirichlet, sampleGamma } from './dirichlet.js';
import { Rng } from './rng.js';

describe('sampleDirichlet', () => {
  it('lie on the simplex with mean 1/K and the Dirichlet variance (alpha 1.2, K 3)', () => {
    const rng = new Rng(9);
    const n = 6000;
    const alpha = 1.2;
    const k = 3;
    const sum = [0, 0, 0];
    const squares = [0, 0, 0];
    for (let s = 0; s < n; s++) {
      const r = sampleDirichlet(rng, alpha, k);
      expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      r.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(0);
        sum[i] = (sum[i] as number) + v;
        squares[i] = (squares[i] as number) + v * v;
      });
    }
    // Var r_i = (1/K)(1 - 1/K) / (K alpha + 1) = (2/9) / 4.6 = 0.04831
    const variance = (1 / k) * (1 - 1 / k) * (1 / (k * alpha + 1));
    sum.forEach((s, i) => {
      const mean = s / n;
      expect(Math.abs(mean - 1 / k)).toBeLessThan(0.01);
      expect(Math.abs((squares[i] as number) / n - mean * mean - variance)).toBeLessThan(0.004);
    });
  });

  it('a small alpha favours the corners: the largest share is mostly above 0.9 at alpha 0.1', () => {
    const rng = new Rng(4);
    let corner = 0;
    for (let s = 0; s < 1000; s++) if (Math.max(...sampleDirichlet(rng, 0.1, 2)) > 0.9) corner++;
    // P(max > 0.9) for Beta(0.1, 0.1) is about 0.86
    expect(corner).toBeGreaterThan(780);
  });
});

describe('sampleGamma', () => {
  it('has mean alpha and variance alpha (Gamma(alpha, 1)) for alpha 0.5 and 3', () => {
    for (const alpha of [0.5, 3]) {
      const rng = new Rng(`gamma:${alpha}`);
      const n = 8000;
      let sum = 0;
      let squares = 0;
      for (let s = 0; s < n; s++) {
        const g = sampleGamma(rng, alpha);
        expect(g).toBeGreaterThan(0);
        sum += g;
        squares += g * g;
      }
      const mean = sum / n;
      // standard error of the mean: sqrt(alpha / n) <= 0.02
      expect(Math.abs(mean - alpha)).toBeLessThan(0.08);
      expect(Math.abs(squares / n - mean * mean - alpha) / alpha).toBeLessThan(0.12);
    }
  });
});
