import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('log_mgda in a short training run on bundled MQ2008', () => {
  for (const options of [{}, { compat: 'deepmtl2r' }]) {
    it(`options ${JSON.stringify(options)}: finite losses, non-negative weights, the min-norm logged`, async () => {
      const { steps } = await trainOnMq2008Subset(plugin, { id: 'log_mgda', options });
      expect(steps).toHaveLength(3); // 24 queries / 8 per batch
      for (const { losses, weights, diagnostics } of steps) {
        expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
        expect(weights.every((w) => w >= 0)).toBe(true);
        // a on the simplex mapped back by 1 / L_i: sum_i w_i L_i = 1 (compat: divided by c, sum w_i = 1)
        if ('compat' in options) expect((weights[0] as number) + (weights[1] as number)).toBeCloseTo(1, 6);
        else
          expect(
            (weights[0] as number) * (losses[0] as number) + (weights[1] as number) * (losses[1] as number),
          ).toBeCloseTo(1, 4);
        expect(Number.isFinite(diagnostics.min_norm)).toBe(true);
      }
    });
  }
});
