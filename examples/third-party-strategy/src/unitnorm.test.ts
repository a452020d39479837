import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import plugin, { unitNormWeights } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ space: 'shared' }, { epsilon: 1e-6 }],
  invalidOptions: [
    { options: { epsilon: 0 }, message: 'strategy.options.epsilon' },
    { options: { space: 'pixels' }, message: 'strategy.options.space' },
  ],
});
describeStrategyConformance(plugin, { options: { space: 'shared' } });

describe('unitNormWeights', () => {
  it('weighs each task by the inverse of its gradient norm (hand-computed)', () => {
    // g_0 = (3, 4) (norm 5), g_1 = (0, 1) (norm 1): inverse norms 0.2 and 1, normalised 1/6 and 5/6.
    const gram = [25, 4, 4, 1];
    const [w0, w1] = unitNormWeights(gram, 2, 0);
    expect(w0).toBeCloseTo(1 / 6, 12);
    expect(w1).toBeCloseTo(5 / 6, 12);
  });

  it('keeps a zero gradient finite', () => {
    const weights = unitNormWeights([0, 0, 0, 4], 2, 1e-8);
    expect(weights.every(Number.isFinite)).toBe(true);
    expect(weights[0]).toBeGreaterThan(0.99);
  });
});
