import { selectBackend } from '@mtl2r/backend';
import { createStrategy, type Strategy } from '@mtl2r/core';
import { combineOnRows, describeStrategyConformance, relativeError } from '@mtl2r/strategy-testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from './fixtures/reference.json' with { type: 'json' };
import plugin, { type AlignedMtlOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ gradientSpace: 'representation' }],
  invalidOptions: [
    { options: { gradientSpace: 'heads' }, message: 'strategy.options.gradientSpace' },
    { options: { scale: 'min' }, message: 'Unrecognized key: "scale"' },
  ],
});

function create(taskCount: number, options: Partial<AlignedMtlOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options });
}

describe('aligned_mtl', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('two orthogonal gradients of norms 2 and 1: weights (0.5, 1), condition number 2 logged', async () => {
    const out = await combineOnRows(create(2), {
      losses: [1, 1],
      grads: [
        [2, 0],
        [0, 1],
      ],
    });
    expect(out.weights[0]).toBeCloseTo(0.5, 6);
    expect(out.weights[1]).toBeCloseTo(1, 6);
    expect(Array.from(out.combined)).toEqual([expect.closeTo(1, 6), expect.closeTo(1, 6)]);
    expect(out.diagnostics).toEqual({ rank: 2, condition_number: expect.closeTo(2, 6) });
  });

  it("agrees with LibMTL's Aligned_MTL on random gradients (K = 2..5, fixture from scripts/reference)", async () => {
    expect(reference.cases.length).toBeGreaterThanOrEqual(8);
    for (const fixture of reference.cases) {
      const out = await combineOnRows(create(fixture.losses.length), fixture);
      expect(relativeError(out.combined, fixture.combined)).toBeLessThan(1e-4);
    }
  });

  it('the instance needs follow gradientSpace; without gradients it says what is missing', async () => {
    expect(create(2).needs.grads).toBe('shared');
    expect(create(2, { gradientSpace: 'representation' }).needs.grads).toBe('representation');
    await expect(async () =>
      create(2).combine({ step: 0, epoch: 0, losses: Float32Array.of(1, 1) }),
    ).rejects.toThrow('aligned_mtl needs the per-task gradients');
  });
});
