import { type LoggedStep, trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('uw in a short training run on bundled MQ2008', () => {
  it("trains with finite losses, and the trainer's optimizer really moves s", async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'uw' });
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights.every((w) => Number.isFinite(w) && w > 0)).toBe(true);
    }
    // Step 1 runs at s = 0: weights 0.5 exp(0) = 0.5.
    expect(steps[0]?.weights).toEqual([0.5, 0.5]);
    // d objective / d s_i = 0.5 (1 - L_i) at s = 0, so one descent step moves s_i up (toward ln L_i > 0)
    // when L_i > 1 and down when L_i < 1: the weight 0.5 exp(-s_i) of step 2 moves the other way.
    const first = steps[0] as LoggedStep;
    const second = steps[1] as LoggedStep;
    first.losses.forEach((loss, i) => {
      const change = (second.weights[i] as number) - 0.5;
      expect(Math.sign(change)).toBe(Math.sign(1 - loss));
    });
  });
});
