import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('cagrad in a short training run on bundled MQ2008', () => {
  it('finite losses, positive weights, the worst improvement logged', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'cagrad' });
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights.every((w) => w > 0)).toBe(true);
      expect(diagnostics.solver_converged).toBe(1);
      expect(Number.isFinite(diagnostics.worst_improvement)).toBe(true);
    }
  });

  it("compat 'deepmtl2r': heads at weight 1, the shared direction clipped to norm <= 1", async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'cagrad', options: { compat: 'deepmtl2r' } });
    expect(steps).toHaveLength(3);
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights).toEqual([1, 1]);
      expect((diagnostics.shared_norm as number) * (diagnostics.clip_scale as number)).toBeLessThanOrEqual(1);
    }
  });
});
