import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('log_cagrad in a short training run on bundled MQ2008', () => {
  it('finite losses, positive weights, the inner problem solved', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'log_cagrad' });
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights, diagnostics } of steps) {
      expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
      expect(weights.every((w) => w > 0)).toBe(true);
      expect(diagnostics.solver_converged).toBe(1);
    }
  });

  it("compat 'deepmtl2r': heads at 1 / L_i, the shared direction clipped to norm <= 1", async () => {
    const { steps } = await trainOnMq2008Subset(plugin, {
      id: 'log_cagrad',
      options: { compat: 'deepmtl2r' },
    });
    expect(steps).toHaveLength(3);
    for (const { losses, weights, diagnostics } of steps) {
      // the logged losses are rounded for the log; 1 / L_i to 4 digits
      weights.forEach((w, i) => expect(w * (losses[i] as number)).toBeCloseTo(1, 4));
      expect((diagnostics.shared_norm as number) * (diagnostics.clip_scale as number)).toBeLessThanOrEqual(1);
    }
  });
});
