import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('ec in a short training run on bundled MQ2008', () => {
  it('trains with finite losses; weights sum to 1 and start at [1, 0] (the bounds are the first losses)', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'ec' });
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect((weights[0] as number) + (weights[1] as number)).toBeCloseTo(1, 6);
      expect(weights.every((w) => w >= 0)).toBe(true);
    }
    // Step 1: L_1 / eps_1 = 1, not violated, so only the main task (relevance) is trained.
    expect(steps[0]?.weights).toEqual([1, 0]);
  });
});
