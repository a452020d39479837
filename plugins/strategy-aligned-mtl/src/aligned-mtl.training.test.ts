import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('aligned_mtl in a short training run on bundled MQ2008', () => {
  it('finite losses; the aligned update has condition number 1, so every step logs rank 2', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'aligned_mtl' });
    expect(steps).toHaveLength(3);
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights.every((w) => Number.isFinite(w) && w > 0)).toBe(true);
      expect(diagnostics.rank).toBe(2);
      expect(diagnostics.condition_number).toBeGreaterThanOrEqual(1);
    }
  });
});
