import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('fairgrad in a short training run on bundled MQ2008', () => {
  it('finite losses; positive weights solving the fairness system', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'fairgrad' });
    expect(steps).toHaveLength(3);
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights.every((w) => w > 0)).toBe(true);
      expect(diagnostics.solver_residual).toBeLessThan(1e-6);
    }
  });
});
