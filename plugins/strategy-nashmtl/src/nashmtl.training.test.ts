import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('nashmtl in a short training run on bundled MQ2008', () => {
  it('finite losses; every step solves the bargaining problem to 1e-6 and clips to norm 1', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'nashmtl' });
    expect(steps).toHaveLength(3);
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(diagnostics.nash_status).toBe(0);
      expect(diagnostics.nash_residual).toBeLessThanOrEqual(1e-6);
      expect(weights.every((w) => w > 0)).toBe(true);
      // ||d||^2 = sum_i alpha_i (G G^T alpha)_i = K at the solution, so the clip factor is 1 / sqrt(2)
      expect(diagnostics.clip_scale).toBeCloseTo(Math.SQRT1_2, 4);
    }
  });
});
