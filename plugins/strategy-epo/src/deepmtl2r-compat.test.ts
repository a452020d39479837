import { createStrategy } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import reference from './fixtures/deepmtl2r-epo.json' with { type: 'json' };
import plugin from './index.js';

// Made by scripts/deepmtl2r-reference.py: DeepMTL2R's EPO class on random gradients, losses and preferences,
// its cvxpy QP solved by SciPy (see the script). K = 2..5, 24 cases, some on the preference ray (descent).
describe("epo compat 'deepmtl2r' agrees with DeepMTL2R's EPO", () => {
  it('the same weights on every reference case (the preference as written; the plugin sees it normalised)', async () => {
    for (const { gram, losses, preference, weights } of reference.cases) {
      const taskNames = preference.map((_, i) => `task${i}`);
      const strategy = createStrategy(plugin, { taskNames, preference, options: { compat: 'deepmtl2r' } });
      const out = await strategy.combine({
        step: 0,
        epoch: 0,
        losses: Float32Array.from(losses),
        gram: Float64Array.from(gram),
      });
      const actual = Array.from(out.weights);
      // SLSQP stops near 1e-8; our QP is exact to round-off.
      actual.forEach((value, i) => {
        expect(value).toBeCloseTo(weights[i] as number, 5);
      });
    }
  });
});
