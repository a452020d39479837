import { selectBackend } from '@mtl2r/backend';
import { createStrategy, type Strategy } from '@mtl2r/core';
import { combineOnRows, describeStrategyConformance, relativeError } from '@mtl2r/strategy-testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from './fixtures/reference.json' with { type: 'json' };
import plugin, { type UpgradOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ normEps: 0, regEps: 1e-6 }],
  invalidOptions: [
    { options: { regEps: 0 }, message: 'strategy.options.regEps' },
    { options: { normEps: -1 }, message: 'strategy.options.normEps' },
  ],
});

function create(taskCount: number, options: Partial<UpgradOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options });
}

describe('upgrad', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('no conflict: the mean (weights 1/K); a conflict: weights (1, 0.9) for g = (1, 0), (-1, 0.5)', async () => {
    const plain = await combineOnRows(create(2, { regEps: 1e-12 }), {
      losses: [1, 1],
      grads: [
        [1, 0],
        [0, 1],
      ],
    });
    expect(plain.weights).toEqual([expect.closeTo(0.5, 6), expect.closeTo(0.5, 6)]);
    const conflict = await combineOnRows(create(2, { regEps: 1e-12 }), {
      losses: [1, 1],
      grads: [
        [1, 0],
        [-1, 0.5],
      ],
    });
    expect(conflict.weights).toEqual([expect.closeTo(1, 6), expect.closeTo(0.9, 6)]);
    // the update (0.1, 0.45) has product 0.1 >= 0 with g_1 and 0.125 >= 0 with g_2
    expect(Array.from(conflict.combined)).toEqual([expect.closeTo(0.1, 6), expect.closeTo(0.45, 6)]);
  });

  it("agrees with LibMTL's UPGrad on random gradients (K = 2..5, fixture from scripts/reference)", async () => {
    expect(reference.cases.length).toBeGreaterThanOrEqual(8);
    for (const fixture of reference.cases) {
      const out = await combineOnRows(create(fixture.losses.length), fixture);
      expect(relativeError(out.combined, fixture.combined)).toBeLessThan(1e-4);
    }
  });
});
