import { Rng } from '@mtl2r/core';
import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('rlw in a short training run on bundled MQ2008', () => {
  it("applies softmax(z) with z drawn from the run's strategy stream at every step, finite losses", async () => {
    const seed = 3;
    const steps = (await trainOnMq2008Subset(plugin, { id: 'rlw' }, { seed })).steps;
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    // The trainer gives the strategy new Rng(seed).derive('strategy'); two normal draws per step.
    const draws = new Rng(seed).derive('strategy');
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      const z0 = draws.normal();
      const z1 = draws.normal();
      // the trainer logs weights as float32, hence 6 digits
      expect(weights[0]).toBeCloseTo(1 / (1 + Math.exp(z1 - z0)), 6);
      expect(weights[1]).toBeCloseTo(1 / (1 + Math.exp(z0 - z1)), 6);
    }
  });
});
