import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('db_mtl in a short training run on bundled MQ2008', () => {
  it('finite losses; head weights 1 / L_i; the smaller-gradient task scaled up (scale >= 1, one of them 1)', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'db_mtl' });
    expect(steps).toHaveLength(3);
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      weights.forEach((w, i) => {
        expect(w).toBeCloseTo(1 / (losses[i] as number), 2);
      });
      const scales = [diagnostics['scale(0)'] as number, diagnostics['scale(1)'] as number];
      expect(Math.min(...scales)).toBeCloseTo(1, 5);
      expect(Math.max(...scales)).toBeGreaterThanOrEqual(1);
    }
  });
});
