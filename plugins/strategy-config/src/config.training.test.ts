import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('config in a short training run on bundled MQ2008', () => {
  it('finite losses; the update makes the same positive angle with both task gradients', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'config' });
    expect(steps).toHaveLength(3);
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights.every(Number.isFinite)).toBe(true);
      expect(diagnostics.cosine).toBeGreaterThan(0);
    }
  });
});
