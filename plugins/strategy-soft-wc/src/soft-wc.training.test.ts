import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('soft_wc in a short training run on bundled MQ2008', () => {
  it('applies r_i exp(r_i L_i / mu) / sum_j r_j exp(r_j L_j / mu) of the logged losses, finite losses', async () => {
    const preference = [0.3, 0.7];
    const mu = 0.5;
    const steps = (await trainOnMq2008Subset(plugin, { id: 'soft_wc', preference, options: { mu } })).steps;
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      const unnormalised = losses.map((l, i) => preference[i]! * Math.exp((preference[i]! * l) / mu));
      const total = unnormalised[0]! + unnormalised[1]!;
      // the trainer logs weights as float32, hence 6 digits
      weights.forEach((w, i) => {
        expect(w).toBeCloseTo(unnormalised[i]! / total, 6);
      });
    }
  });
});
