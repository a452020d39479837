import { selectBackend } from '@mtl2r/backend';
import { createCombineInput, createStrategy, Rng, type Strategy } from '@mtl2r/core';
import { type ConformanceCases, describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin, { type MgdaOptions } from './index.js';

const cases: ConformanceCases<MgdaOptions> = {
  validOptions: [
    { normalization: 'l2' },
    { normalization: 'loss', gradientSpace: 'representation' },
    { normalization: 'loss+', solver: 'projected-gradient', maxIterations: 50 },
    { compat: 'deepmtl2r' },
    { compat: 'deepmtl2r', normalization: 'loss' },
  ],
  invalidOptions: [
    { options: { normalization: 'norm' }, message: 'strategy.options.normalization' },
    { options: { gradientSpace: 'last' }, message: 'strategy.options.gradientSpace' },
    { options: { maxIterations: 0 }, message: 'strategy.options.maxIterations' },
    { options: { maxIterations: 2.5 }, message: 'strategy.options.maxIterations' },
    { options: { compat: 'libmtl' }, message: 'strategy.options.compat' },
  ],
};
describeStrategyConformance(plugin, cases);
// Every normalisation and the other solver go through the contract too (finite, deterministic, no leaks).
for (const options of cases.validOptions ?? []) describeStrategyConformance(plugin, { ...cases, options });

function create(taskCount: number, options: Partial<MgdaOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options });
}

async function weightsFor(strategy: Strategy, rows: number[][], losses?: number[]): Promise<number[]> {
  const grads = tf.tensor2d(rows);
  try {
    const out = await strategy.combine(
      createCombineInput({
        step: 0,
        epoch: 0,
        losses: Float32Array.from(losses ?? rows.map(() => 1)),
        grads,
      }),
    );
    return Array.from(out.weights);
  } finally {
    grads.dispose();
  }
}

function expectClose(actual: number[], expected: number[], digits = 6): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    expect(value).toBeCloseTo(expected[i] as number, digits);
  });
}

describe('mgda', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  // g_0 = (1, 0), g_1 = (0, 2): M = [[1, 0], [0, 4]], ||g_0|| = 1, ||g_1|| = 2.
  const pair = [
    [1, 0],
    [0, 2],
  ];

  it("normalization 'none': the exact pair rule gamma = (M_11 - M_01) / (M_00 + M_11 - 2 M_01)", async () => {
    // gamma = (4 - 0) / (1 + 4) = 0.8 -> weights [0.8, 0.2]; direction (0.8, 0.4) has inner product 0.8
    // with both gradients (an interior min-norm point is equally steep for every task).
    expectClose(await weightsFor(create(2), pair), [0.8, 0.2]);
  });

  it("normalization 'l2': a on the unit gradients, mapped back as a_i / ||g_i||", async () => {
    // Unit gradients (1, 0), (0, 1): M' = I, a = [0.5, 0.5]; weights [0.5 / 1, 0.5 / 2] = [0.5, 0.25].
    expectClose(await weightsFor(create(2, { normalization: 'l2' }), pair), [0.5, 0.25]);
  });

  it("normalization 'loss': a on g_i / L_i, mapped back as a_i / L_i", async () => {
    // L = [2, 0.5]: M' = [[1 / 4, 0], [0, 4 / 0.25]] = [[0.25, 0], [0, 16]];
    // gamma = 16 / 16.25 = 64 / 65 -> a = [64/65, 1/65]; weights [64/65 / 2, 1/65 / 0.5] = [32/65, 2/65].
    expectClose(await weightsFor(create(2, { normalization: 'loss' }), pair, [2, 0.5]), [32 / 65, 2 / 65]);
  });

  it("normalization 'loss+': a on g_i / (L_i ||g_i||), mapped back", async () => {
    // n = [2 * 1, 0.5 * 2] = [2, 1]: M' = [[0.25, 0], [0, 4]]; gamma = 4 / 4.25 = 16/17 -> a = [16/17, 1/17];
    // weights [16/17 / 2, 1/17 / 1] = [8/17, 1/17].
    expectClose(await weightsFor(create(2, { normalization: 'loss+' }), pair, [2, 0.5]), [8 / 17, 1 / 17]);
  });

  it('three tasks: the min-norm point lies on a face of the simplex', async () => {
    // g = (1, 0), (0, 1), (1, 1): the segment midpoint (0.5, 0.5) has norm^2 0.5; M a = [0.5, 0.5, 1] has
    // min 0.5 = a^T M a, the optimality condition, so a = [0.5, 0.5, 0].
    const rows = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    for (const solver of ['frank-wolfe', 'projected-gradient'] as const) {
      expectClose(await weightsFor(create(3, { solver }), rows), [0.5, 0.5, 0], 5);
    }
  });

  it('opposite gradients: a Pareto-stationary point, the direction is zero', async () => {
    // g_0 = -g_1: 0.5 g_0 + 0.5 g_1 = 0 (the third task gets no weight).
    const rows = [
      [2, 1, 0],
      [-2, -1, 0],
      [0, 3, 1],
    ];
    const weights = await weightsFor(create(3), rows);
    expectClose(weights, [0.5, 0.5, 0], 5);
  });

  it('a zero gradient under l2 normalisation gives a zero direction, not NaN', async () => {
    const weights = await weightsFor(create(3, { normalization: 'l2' }), [
      [1, 2],
      [0, 0],
      [-1, 3],
    ]);
    expect(weights.every(Number.isFinite)).toBe(true);
    // a concentrates on the zero gradient: the combination of the two non-zero ones vanishes.
    expect(Math.abs((weights[0] as number) * 1 + (weights[2] as number) * -1)).toBeLessThan(1e-6);
    expect(Math.abs((weights[0] as number) * 2 + (weights[2] as number) * 3)).toBeLessThan(1e-6);
  });

  it('the direction is a descent direction for every task: d . g_i >= 0 (random gradients, all normalisations)', async () => {
    const rng = new Rng(31);
    for (const normalization of ['none', 'l2', 'loss', 'loss+'] as const) {
      for (const taskCount of [2, 3, 4, 5]) {
        for (let trial = 0; trial < 4; trial++) {
          const rows = Array.from({ length: taskCount }, () => {
            const scale = 0.1 + 3 * rng.float();
            return Array.from({ length: 9 }, () => scale * rng.normal());
          });
          const losses = rows.map(() => 0.2 + rng.float());
          const weights = await weightsFor(create(taskCount, { normalization }), rows, losses);
          const direction = (rows[0] as number[]).map((_, k) =>
            weights.reduce((s, w, i) => s + w * (rows[i]?.[k] as number), 0),
          );
          const directionNorm = Math.hypot(...direction);
          for (const row of rows) {
            const inner = row.reduce((s, v, k) => s + v * (direction[k] as number), 0);
            // float32 Gram matrix: allow round-off relative to the sizes involved
            expect(inner).toBeGreaterThanOrEqual(-1e-4 * directionNorm * Math.hypot(...row));
          }
          if (normalization === 'none') expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        }
      }
    }
  });

  it("the instance's needs follow gradientSpace; the plugin declares both", () => {
    expect(plugin.needs.grads).toEqual(['shared', 'representation']);
    expect(create(2).needs.grads).toBe('shared');
    expect(create(2, { gradientSpace: 'representation' }).needs.grads).toBe('representation');
  });

  it('logs the norm of the min-norm point', async () => {
    const grads = tf.tensor2d(pair);
    const out = await create(2).combine(
      createCombineInput({ step: 0, epoch: 0, losses: Float32Array.of(1, 1), grads }),
    );
    grads.dispose();
    // ||(0.8, 0.4)|| = sqrt(0.8) = 0.894427
    expect(out.diagnostics?.min_norm).toBeCloseTo(Math.sqrt(0.8), 6);
  });

  it("compat 'deepmtl2r': the reference's solver, its coefficients times K on the raw gradients", async () => {
    // Interior pair: the same gamma 0.8 as the exact rule, times K = 2.
    expectClose(await weightsFor(create(2, { compat: 'deepmtl2r' }), pair), [1.6, 0.4]);
    // normalization 'loss' (L = [2, 0.5]) steers a = [64/65, 1/65] but a * K is applied to the raw losses.
    expectClose(await weightsFor(create(2, { compat: 'deepmtl2r', normalization: 'loss' }), pair, [2, 0.5]), [
      128 / 65,
      2 / 65,
    ]);
  });

  it("compat 'deepmtl2r': the two-task clamp 0.999 / 0.001 where the exact min-norm point is a vertex", async () => {
    // g_0 = (1, 0), g_1 = (2, 0): g_0 . g_1 = 2 >= ||g_0||^2, the min-norm point is g_0 alone.
    const dominated = [
      [1, 0],
      [2, 0],
    ];
    expectClose(await weightsFor(create(2), dominated), [1, 0]);
    expectClose(await weightsFor(create(2, { compat: 'deepmtl2r' }), dominated), [1.998, 0.002]);
  });

  it("refuses a loss <= 0 with normalization 'loss'", async () => {
    await expect(weightsFor(create(2, { normalization: 'loss' }), pair, [1, 0])).rejects.toThrow(
      "normalization 'loss' divides task 'task1''s gradient by its loss, but the loss is 0 at step 0",
    );
  });
});
