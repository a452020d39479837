import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('excess_mtl in a short training run on bundled MQ2008', () => {
  it('finite losses; weights start at 1 and always sum to K', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, {
      id: 'excess_mtl',
      options: { robustStepSize: 0.5 },
    });
    expect(steps).toHaveLength(3);
    expect(steps[0]?.weights).toEqual([1, 1]);
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect((weights[0] as number) + (weights[1] as number)).toBeCloseTo(2, 5);
    }
  });
});
