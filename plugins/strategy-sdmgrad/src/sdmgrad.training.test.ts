import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('sdmgrad in a short training run on bundled MQ2008', () => {
  it('finite losses; weights (w + lambda/K) / (1 + lambda) with w on the simplex', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'sdmgrad' });
    expect(steps).toHaveLength(3);
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      const w = [diagnostics['sdmgrad_w(relevance)'] as number, diagnostics['sdmgrad_w(pagerank)'] as number];
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      w.forEach((value, i) => {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(weights[i]).toBeCloseTo((value + 0.3) / 1.6, 5);
      });
    }
  });

  it("compat 'deepmtl2r': heads weighted 1, the shared direction clipped to norm 1", async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'sdmgrad', options: { compat: 'deepmtl2r' } });
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights).toEqual([1, 1]);
      expect(diagnostics.clip_scale).toBeGreaterThan(0);
      expect(diagnostics.clip_scale).toBeLessThanOrEqual(1);
    }
  });
});
