import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('mgda in a short training run on bundled MQ2008', () => {
  for (const gradientSpace of ['shared', 'representation'] as const) {
    it(`${gradientSpace} gradients: finite losses, weights on the simplex, the min-norm logged`, async () => {
      const { steps } = await trainOnMq2008Subset(plugin, { id: 'mgda', options: { gradientSpace } });
      expect(steps).toHaveLength(3); // 24 queries / 8 per batch
      for (const { losses, weights, diagnostics } of steps) {
        expect(losses.every(Number.isFinite)).toBe(true);
        expect(weights.every((w) => w >= 0)).toBe(true);
        expect((weights[0] as number) + (weights[1] as number)).toBeCloseTo(1, 6);
        expect(Number.isFinite(diagnostics.min_norm)).toBe(true);
      }
    });
  }

  it("compat 'deepmtl2r': weights on the simplex times K, the reference's solver converged", async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'mgda', options: { compat: 'deepmtl2r' } });
    expect(steps).toHaveLength(3);
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights.every((w) => w > 0)).toBe(true);
      expect((weights[0] as number) + (weights[1] as number)).toBeCloseTo(2, 6);
      expect(diagnostics.solver_converged).toBe(1);
    }
  });
});
