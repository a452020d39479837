import { selectBackend } from '@mtl2r/backend';
import { createStrategy, type Strategy } from '@mtl2r/core';
import { combineOnRows, describeStrategyConformance, relativeError } from '@mtl2r/strategy-testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from './fixtures/reference.json' with { type: 'json' };
import plugin, { type ConfigOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ gradientSpace: 'representation' }],
  invalidOptions: [{ options: { gradientSpace: 'all' }, message: 'strategy.options.gradientSpace' }],
});

function create(taskCount: number, options: Partial<ConfigOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options });
}

describe('config', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('g = (2, 0), (0, 1): the update is 1.5 (1, 1), at 45 degrees to both', async () => {
    const out = await combineOnRows(create(2), {
      losses: [1, 1],
      grads: [
        [2, 0],
        [0, 1],
      ],
    });
    expect(Array.from(out.combined)).toEqual([expect.closeTo(1.5, 6), expect.closeTo(1.5, 6)]);
    expect(out.diagnostics.cosine).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it("agrees with the paper's construction in coordinates (numpy pseudo-inverse; fixture from scripts/reference)", async () => {
    expect(reference.cases.length).toBeGreaterThanOrEqual(8);
    for (const fixture of reference.cases) {
      const out = await combineOnRows(create(fixture.losses.length), fixture);
      expect(relativeError(out.combined, fixture.combined)).toBeLessThan(1e-4);
    }
  });
});
