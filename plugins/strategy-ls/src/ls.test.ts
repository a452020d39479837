import { createStrategy } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describeStrategyConformance(plugin, {
  invalidOptions: [{ options: { temperature: 2 }, message: 'Unrecognized key: "temperature"' }],
});

describe('linear scalarization', () => {
  it('weights are the normalised preference, whatever the losses', async () => {
    const strategy = createStrategy(plugin, {
      taskNames: ['relevance', 'click', 'dwell'],
      preference: [2, 1, 1],
    });
    for (const losses of [
      [1, 2, 3],
      [10, 0.1, 5],
    ]) {
      const out = await strategy.combine({ step: 0, epoch: 0, losses: Float32Array.from(losses) });
      expect(Array.from(out.weights)).toEqual([0.5, 0.25, 0.25]);
    }
  });

  it('defaults to uniform weights', async () => {
    const strategy = createStrategy(plugin, { taskNames: ['a', 'b', 'c', 'd', 'e'] });
    const out = await strategy.combine({ step: 0, epoch: 0, losses: new Float32Array(5) });
    expect(Array.from(out.weights)).toEqual(new Array(5).fill(Math.fround(0.2)));
  });

  it('the scalarised objective sum r_i L_i matches a hand computation', async () => {
    const strategy = createStrategy(plugin, { taskNames: ['a', 'b'], preference: [0.001, 0.999] });
    const losses = Float32Array.from([0.8, 0.3]);
    const { weights } = await strategy.combine({ step: 0, epoch: 0, losses });
    const objective = Array.from(weights).reduce((sum, w, i) => sum + w * losses[i]!, 0);
    expect(objective).toBeCloseTo(0.001 * 0.8 + 0.999 * 0.3, 6);
  });

  it('rejects a preference of the wrong length naming the config path', () => {
    expect(() => createStrategy(plugin, { taskNames: ['a', 'b'], preference: [1, 1, 1] })).toThrow(
      'strategy.preference: expected 2 numbers (one per task), got 3',
    );
  });
});
