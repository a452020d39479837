import { createStrategy } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import reference from './fixtures/deepmtl2r-wc-mgda.json' with { type: 'json' };
import plugin from './index.js';

// Made by ../strategy-epo/scripts/deepmtl2r-reference.py: DeepMTL2R's WC_MGDA class on random gradients, losses and preferences,
// its cvxpy SOCP solved by SciPy (see the script). K = 2..5, 24 cases, u in {0.01, 0.1, 0.5}.
describe("wc_mgda compat 'deepmtl2r' agrees with DeepMTL2R's WC_MGDA", () => {
  it('the same weights on every reference case (the preference as written; the plugin sees it normalised)', async () => {
    for (const { gram, losses, preference, u, weights } of reference.cases) {
      const taskNames = preference.map((_, i) => `task${i}`);
      const strategy = createStrategy(plugin, { taskNames, preference, options: { compat: 'deepmtl2r', u } });
      const out = await strategy.combine({
        step: 0,
        epoch: 0,
        losses: Float32Array.from(losses),
        gram: Float64Array.from(gram),
      });
      const actual = Array.from(out.weights);
      // SLSQP stops near 1e-8; our SOCP solver to a certified gap of 1e-9.
      actual.forEach((value, i) => {
        expect(value).toBeCloseTo(weights[i] as number, 5);
      });
    }
  });
});
