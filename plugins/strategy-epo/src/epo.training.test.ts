import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('epo in a short training run on bundled MQ2008', () => {
  for (const options of [{}, { compat: 'deepmtl2r' }]) {
    it(`options ${JSON.stringify(options)}: finite losses, weights on the simplex`, async () => {
      const { steps } = await trainOnMq2008Subset(plugin, { id: 'epo', preference: [0.3, 0.7], options });
      expect(steps).toHaveLength(3); // 24 queries / 8 per batch
      for (const { losses, weights } of steps) {
        expect(losses.every(Number.isFinite)).toBe(true);
        expect(weights.every((w) => w >= 0)).toBe(true);
        expect((weights[0] as number) + (weights[1] as number)).toBeCloseTo(1, 6);
      }
    });
  }
});
