import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('wc in a short training run on bundled MQ2008', () => {
  it('applies weight 1 to argmax_i r_i L_i of the logged losses at every step, finite losses', async () => {
    const preference = [0.3, 0.7];
    const steps = (await trainOnMq2008Subset(plugin, { id: 'wc', preference })).steps;
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      const active = 0.3 * losses[0]! >= 0.7 * losses[1]! ? 0 : 1; // a tie goes to task 0
      expect(weights).toEqual(active === 0 ? [1, 0] : [0, 1]);
      expect(diagnostics.active_task).toBe(active);
    }
  });
});
