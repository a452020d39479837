import { selectBackend } from '@mtl2r/backend';
import { createStrategy, type ParameterLayout, Rng, type Strategy } from '@mtl2r/core';
import { combineOnRows, describeStrategyConformance, relativeError } from '@mtl2r/strategy-testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from './fixtures/reference.json' with { type: 'json' };
import plugin, { type GradvacOptions } from './index.js';
import { vaccinate } from './vaccine.js';

describeStrategyConformance(plugin, {
  validOptions: [{ granularity: 'block' }, { granularity: 'variable', beta: 0.01 }],
  invalidOptions: [
    { options: { beta: 0 }, message: 'strategy.options.beta' },
    { options: { granularity: 'layer' }, message: 'strategy.options.granularity' },
  ],
});

function create(taskCount: number, options: Partial<GradvacOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options, rng: new Rng(5).derive('strategy') });
}

function twoVariables(total: number, split: number): ParameterLayout {
  return {
    entries: [
      { name: 'a', block: 0, offset: 0, size: split, shape: [split] },
      { name: 'b', block: 1, offset: split, size: total - split, shape: [total - split] },
    ],
    size: total,
  };
}

describe('gradvac', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('vaccinate lifts a cosine below its target exactly to the target, and moves the target by the EMA', () => {
    // g0 = (1, 0), g1 = (-1, 1): cos = -1/sqrt 2; target 0.5
    const gram = Float64Array.of(1, -1, -1, 2);
    const targets = Float64Array.of(0, 0.5, 0.5, 0);
    const c = vaccinate(gram, 2, targets, [[1], [0]], 0.5);
    const x = (c[0] as number) - (c[1] as number);
    const y = c[1] as number;
    const cos = (-x + y) / (Math.hypot(x, y) * Math.SQRT2);
    expect(cos).toBeCloseTo(0.5, 7);
    // target <- 0.5 * 0.5 + 0.5 * (-1/sqrt 2)
    expect(targets[1]).toBeCloseTo(0.25 - 0.5 * Math.SQRT1_2, 8); // rho carries the 1e-8 guard
  });

  it('with zero targets the first step is PCGrad (the conflicting component removed)', async () => {
    const out = await combineOnRows(create(2), {
      losses: [1, 1],
      grads: [
        [1, 0],
        [-1, 1],
      ],
    });
    // PCGrad: g0' = (1,0) + 0.5 (-1,1) = (0.5, 0.5); g1' = (-1,1) + (1,0) = (0, 1); sum (0.5, 1.5)
    expect(Array.from(out.combined)).toEqual([expect.closeTo(0.5, 6), expect.closeTo(1.5, 6)]);
    expect(out.weights).toEqual([1, 1]);
  });

  it("agrees with LibMTL's GradVac over several steps, whole model and per variable (fixture from scripts/reference)", async () => {
    for (const granularity of ['whole', 'variable'] as const) {
      for (const run of reference[granularity]) {
        const strategy = create(2, { granularity });
        for (const step of run) {
          const layout = twoVariables(step.grads[0]?.length ?? 0, reference.split);
          const out = await combineOnRows(strategy, { ...step, layout });
          expect(relativeError(out.combined, step.combined)).toBeLessThan(1e-4);
        }
      }
    }
  });

  it('per-group targets need the layout; a checkpoint for another model is refused', async () => {
    await expect(async () =>
      combineOnRows(create(2, { granularity: 'block' }), {
        losses: [1, 1],
        grads: [
          [1, 0],
          [0, 1],
        ],
      }),
    ).rejects.toThrow('gradvac needs the per-task gradients of the shared parameters and their layout');
    const strategy = create(2);
    expect(() => strategy.loadState({ rng: new Rng(1).state().s, targets: [[0, 0, 0]] })).toThrow(
      'saved targets are not 2 x 2 matrices',
    );
  });
});
