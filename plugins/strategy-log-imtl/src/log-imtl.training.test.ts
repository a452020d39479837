import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('log_imtl in a short training run on bundled MQ2008', () => {
  it('finite losses; the weights times the losses sum to 1; a finite common projection', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'log_imtl' });
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
      // alpha sums to 1 and w_i = alpha_i / L_i
      const total =
        (weights[0] as number) * (losses[0] as number) + (weights[1] as number) * (losses[1] as number);
      expect(total).toBeCloseTo(1, 4);
      expect(Number.isFinite(diagnostics.projection)).toBe(true);
    }
  });
});
