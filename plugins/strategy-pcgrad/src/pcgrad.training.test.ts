import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('pcgrad in a short training run on bundled MQ2008', () => {
  it('finite losses; weights 1 without a conflict and above 1 with one', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'pcgrad' });
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      if (diagnostics.conflicting_pairs === 0) expect(weights).toEqual([1, 1]);
      else {
        expect(diagnostics.conflicting_pairs).toBe(1);
        // each task adds a positive multiple of the other's gradient
        expect(weights.every((w) => w > 1)).toBe(true);
      }
    }
  });
});
