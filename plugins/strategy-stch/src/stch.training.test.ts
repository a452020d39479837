import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('stch in a short training run on bundled MQ2008', () => {
  it('warm-up epoch then STCH epoch: finite losses, positive weights, the phase logged', async () => {
    const { steps } = await trainOnMq2008Subset(
      plugin,
      { id: 'stch', options: { warmupEpochs: 0 } },
      { epochs: 2 },
    );
    expect(steps).toHaveLength(6);
    expect(steps.map((s) => s.diagnostics.phase)).toEqual([0, 0, 0, 1, 1, 1]);
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights.every((w) => w > 0 && Number.isFinite(w))).toBe(true);
    }
  });
});
