import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('graddrop in a short training run on bundled MQ2008', () => {
  it('representation space (default): finite losses, heads weighted 1', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'graddrop' });
    expect(steps).toHaveLength(3);
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights).toEqual([1, 1]);
    }
  });

  it("compat 'deepmtl2r': shared parameters, the direction clipped to norm 1", async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'graddrop', options: { compat: 'deepmtl2r' } });
    for (const { losses, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(diagnostics.clip_scale).toBeGreaterThan(0);
      expect(diagnostics.clip_scale).toBeLessThanOrEqual(1);
    }
  });
});
