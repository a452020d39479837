import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('scaleinvls in a short training run on bundled MQ2008', () => {
  it('applies weights r_i / L_i of the logged losses at every step (ListNet losses are > 0)', async () => {
    const preference = [0.3, 0.7];
    const steps = (await trainOnMq2008Subset(plugin, { id: 'scaleinvls', preference })).steps;
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights } of steps) {
      expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
      // w_i L_i = (r_i / L_i) L_i = r_i
      // the trainer logs weights as float32, hence 6 digits
      weights.forEach((w, i) => {
        expect(w * losses[i]!).toBeCloseTo(preference[i]!, 6);
      });
    }
  });
});
