import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('gradvac in a short training run on bundled MQ2008', () => {
  it('per-block targets: finite losses, head weights 1, the EMA target logged within [-1, 1]', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'gradvac', options: { granularity: 'block' } });
    expect(steps).toHaveLength(3);
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights).toEqual([1, 1]);
      expect(Math.abs(diagnostics['target(0,1)'] as number)).toBeLessThanOrEqual(1);
    }
  });
});
