import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('upgrad in a short training run on bundled MQ2008', () => {
  it('finite losses; every weight at least 1/K (a projection only adds to the mean)', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'upgrad' });
    expect(steps).toHaveLength(3);
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      for (const w of weights) expect(w).toBeGreaterThanOrEqual(0.5 - 1e-6);
    }
  });
});
