import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('imtl in a short training run on bundled MQ2008', () => {
  it('finite losses, weights summing to 1, a finite common projection', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'imtl' });
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect((weights[0] as number) + (weights[1] as number)).toBeCloseTo(1, 5);
      expect(Number.isFinite(diagnostics.projection)).toBe(true);
    }
  });
});
