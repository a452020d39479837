import { selectBackend } from '@mtl2r/backend';
import { createCombineInput, createStrategy, Rng, type Strategy, UserError } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin, { type GraddropOptions, signDropout } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [
    { gradientSpace: 'shared', leak: 0.2 },
    { compat: 'deepmtl2r', gradientSpace: 'shared' },
  ],
  invalidOptions: [
    { options: { leak: 1.5 }, message: 'strategy.options.leak' },
    {
      options: { compat: 'deepmtl2r', gradientSpace: 'representation' },
      message: "compat 'deepmtl2r' masks the shared parameters' gradients",
    },
    { options: { gradientSpace: 'last' }, message: 'strategy.options.gradientSpace' },
  ],
});
describeStrategyConformance(plugin, { options: { compat: 'deepmtl2r' }, taskCounts: [3] });

function create(taskCount: number, seed: number, options: Partial<GraddropOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options, rng: new Rng(seed).derive('strategy') });
}

async function combineRows(strategy: Strategy, rows: number[][], step = 0) {
  const grads = tf.tensor2d(rows);
  try {
    const out = await strategy.combine(
      createCombineInput({ step, epoch: 0, losses: new Float32Array(rows.length).fill(1), grads }),
    );
    const direction = Array.from(out.direction?.dataSync() ?? []);
    out.direction?.dispose();
    return { weights: Array.from(out.weights), direction, diagnostics: out.diagnostics ?? {} };
  } finally {
    grads.dispose();
  }
}

/** What the plugin must return on `rows` when its stream (a twin of ctx.rng) gives the next seed. */
function expectedFrom(twin: Rng, rows: number[][]): number[] {
  const width = (rows[0] as number[]).length;
  const uniforms = tf.randomUniform([width], 0, 1, 'float32', twin.seed31()) as tf.Tensor1D;
  const grads = tf.tensor2d(rows);
  const out = signDropout(grads, uniforms);
  const values = Array.from(out.dataSync());
  tf.dispose([uniforms, grads, out]);
  return values;
}

const conflicting = (rng: Rng) =>
  [0, 1, 2].map((i) =>
    Array.from({ length: 40 }, () => (i === 1 ? -1 : 1) * Math.abs(rng.normal()) + 0.3 * rng.normal()),
  );

describe('graddrop', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('the gradient space: representation by default (the paper), shared on request or under compat', () => {
    expect(create(2, 1).needs.grads).toBe('representation');
    expect(create(2, 1, { gradientSpace: 'shared' }).needs.grads).toBe('shared');
    expect(create(2, 1, { compat: 'deepmtl2r' }).needs.grads).toBe('shared');
  });

  it('draws the mask from ctx.rng: a new draw each step, the same draws for the same seed', async () => {
    const data = new Rng('graddrop-data');
    const strategy = create(3, 11);
    const twin = new Rng(11).derive('strategy');
    const seen = new Set<string>();
    for (let step = 0; step < 4; step++) {
      const rows = conflicting(data);
      const expected = expectedFrom(twin, rows);
      const { weights, direction } = await combineRows(strategy, rows, step);
      expect(weights).toEqual([1, 1, 1]);
      direction.forEach((value, k) => {
        expect(value).toBeCloseTo(expected[k] as number, 6);
      });
      seen.add(direction.map((v) => Math.sign(v)).join(''));
    }
    // the same rows with another step's draws keep different entries
    const rows = conflicting(new Rng('graddrop-fixed'));
    const again = create(3, 12);
    const first = (await combineRows(again, rows, 0)).direction;
    const second = (await combineRows(again, rows, 1)).direction;
    expect(first).not.toEqual(second);
  });

  it('with agreeing signs nothing is dropped: the plain sum', async () => {
    const rows = [
      [1, -2, 0.5],
      [3, -1, 0.25],
    ];
    const { direction } = await combineRows(create(2, 5), rows);
    direction.forEach((value, k) => {
      expect(value).toBeCloseTo([4, -3, 0.75][k] as number, 6);
    });
  });

  it("compat 'deepmtl2r' clips the dropped-out sum to norm 1", async () => {
    const rows = [
      [3, 4],
      [3, 4],
    ];
    const { direction, diagnostics } = await combineRows(create(2, 5, { compat: 'deepmtl2r' }), rows);
    // agreeing signs: the sum (6, 8), norm 10, scaled by 1 / (10 + 1e-6)
    expect(diagnostics.clip_scale).toBeCloseTo(1 / (10 + 1e-6), 9);
    expect(direction[0]).toBeCloseTo(0.6, 6);
    expect(direction[1]).toBeCloseTo(0.8, 6);
  });

  it('resumes from state() with the same draws; refuses a state that is not its own', async () => {
    const data = new Rng('graddrop-resume');
    const inputs = [conflicting(data), conflicting(data), conflicting(data)];
    const original = create(3, 21);
    await combineRows(original, inputs[0] as number[][]);
    const resumed = create(3, 22);
    resumed.loadState(JSON.parse(JSON.stringify(original.state())));
    for (let step = 1; step < 3; step++) {
      expect((await combineRows(resumed, inputs[step] as number[][], step)).direction).toEqual(
        (await combineRows(original, inputs[step] as number[][], step)).direction,
      );
    }
    expect(() => resumed.loadState({ rng: [0, 0, 0, 0] })).toThrow(UserError);
  });

  it('says what is missing when called without gradients', async () => {
    await expect(async () =>
      create(2, 1).combine({ step: 0, epoch: 0, losses: Float32Array.of(1, 1) }),
    ).rejects.toThrow('graddrop needs the per-task gradients (needs.grads = representation)');
  });
});
