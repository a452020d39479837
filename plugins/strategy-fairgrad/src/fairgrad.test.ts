import { selectBackend } from '@mtl2r/backend';
import { createStrategy, type Strategy } from '@mtl2r/core';
import { combineOnRows, describeStrategyConformance, relativeError } from '@mtl2r/strategy-testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from './fixtures/reference.json' with { type: 'json' };
import plugin, { type FairgradOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ alpha: 2 }, { alpha: 0.5 }],
  invalidOptions: [
    { options: { alpha: 0 }, message: 'strategy.options.alpha' },
    { options: { alpha: 'fair' }, message: 'strategy.options.alpha' },
  ],
});

function create(taskCount: number, options: Partial<FairgradOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options });
}

describe('fairgrad', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('orthogonal gradients of squared norms 4 and 1, alpha 1: w = (1/2, 1), so each task gets g_i . d = 1/w_i', async () => {
    const out = await combineOnRows(create(2), {
      losses: [1, 1],
      grads: [
        [2, 0],
        [0, 1],
      ],
    });
    expect(out.weights).toEqual([expect.closeTo(0.5, 6), expect.closeTo(1, 6)]);
    expect(out.diagnostics.solver_residual).toBeLessThan(1e-6);
  });

  it("agrees with LibMTL's FairGrad (scipy least_squares) for alpha 0.5, 1, 2 (fixture from scripts/reference)", async () => {
    for (const [alpha, cases] of Object.entries(reference.alpha)) {
      expect(cases.length).toBeGreaterThanOrEqual(8);
      for (const fixture of cases) {
        const out = await combineOnRows(create(fixture.losses.length, { alpha: Number(alpha) }), fixture);
        expect(relativeError(out.combined, fixture.combined)).toBeLessThan(1e-4);
      }
    }
  });
});
