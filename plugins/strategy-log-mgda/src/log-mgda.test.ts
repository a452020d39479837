import { selectBackend } from '@mtl2r/backend';
import { createCombineInput, createStrategy, type Strategy, UserError } from '@mtl2r/core';
import { type ConformanceCases, describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin, { type LogMgdaOptions } from './index.js';

const cases: ConformanceCases<LogMgdaOptions> = {
  validOptions: [
    { gradientSpace: 'representation' },
    { solver: 'projected-gradient', maxIterations: 50 },
    { compat: 'deepmtl2r' },
  ],
  invalidOptions: [
    { options: { gradientSpace: 'last' }, message: 'strategy.options.gradientSpace' },
    { options: { maxIterations: 0 }, message: 'strategy.options.maxIterations' },
    { options: { compat: 'libmtl' }, message: 'strategy.options.compat' },
    { options: { normalization: 'l2' }, message: 'normalization' },
  ],
};
describeStrategyConformance(plugin, cases);
describeStrategyConformance(plugin, { ...cases, options: { compat: 'deepmtl2r' } });

function create(taskCount: number, options: Partial<LogMgdaOptions> = {}): Strategy {
  return createStrategy(plugin, {
    taskNames: Array.from({ length: taskCount }, (_, i) => `task${i}`),
    options,
  });
}

async function weightsFor(strategy: Strategy, rows: number[][], losses: number[]): Promise<number[]> {
  const grads = tf.tensor2d(rows);
  try {
    const input = createCombineInput({ step: 3, epoch: 0, losses: Float32Array.from(losses), grads });
    return Array.from((await strategy.combine(input)).weights);
  } finally {
    grads.dispose();
  }
}

function expectClose(actual: number[], expected: number[], digits = 6): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, digits));
}

describe('log_mgda', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  // g_0 = (1, 0), g_1 = (0, 2), L = [2, 0.5]: the log-loss gradients are (0.5, 0) and (0, 4).
  const pair = [
    [1, 0],
    [0, 2],
  ];

  it('the min-norm point of g_i / L_i, mapped back as a_i / L_i', async () => {
    // M' = [[0.25, 0], [0, 16]]: gamma = 16 / 16.25 = 64/65, a = [64/65, 1/65]; w = [32/65, 2/65]
    // (the same as mgda with normalization 'loss').
    expectClose(await weightsFor(create(2), pair, [2, 0.5]), [32 / 65, 2 / 65]);
  });

  it('an interior min-norm point is equally steep for every log-loss: d . (g_i / L_i) equal', async () => {
    const [w0, w1] = (await weightsFor(create(2), pair, [2, 0.5])) as [number, number];
    // d = w_0 (1, 0) + w_1 (0, 2) = (32/65, 4/65); d . (0.5, 0) = 16/65 = d . (0, 4).
    const d = [w0, 2 * w1] as const;
    expect(d[0] * 0.5).toBeCloseTo(16 / 65, 6);
    expect(d[1] * 4).toBeCloseTo(16 / 65, 6);
  });

  it("compat 'deepmtl2r': the same a, divided by c = sum_i a_i / L_i", async () => {
    // a = [64/65, 1/65]; a / L = [32/65, 2/65]; c = 34/65 -> [32/34, 2/34].
    expectClose(await weightsFor(create(2, { compat: 'deepmtl2r' }), pair, [2, 0.5]), [32 / 34, 2 / 34]);
  });

  it("compat 'deepmtl2r': the reference's 0.999 / 0.001 clamp where the min-norm point is a vertex", async () => {
    // g_0 = (1, 0), g_1 = (2, 0), L = [1, 1]: the exact point is g_0 alone.
    const dominated = [
      [1, 0],
      [2, 0],
    ];
    expectClose(await weightsFor(create(2), dominated, [1, 1]), [1, 0]);
    expectClose(await weightsFor(create(2, { compat: 'deepmtl2r' }), dominated, [1, 1]), [0.999, 0.001]);
  });

  it('declares positive losses and both gradient spaces', () => {
    expect(plugin.needs).toEqual({ grads: ['shared', 'representation'], positiveLosses: true });
    expect(create(2, { gradientSpace: 'representation' }).needs).toEqual({
      grads: 'representation',
      positiveLosses: true,
    });
  });

  it('refuses a loss <= 0 with the task and step', async () => {
    const attempt = weightsFor(create(2), pair, [1, 0]);
    await expect(attempt).rejects.toThrow(UserError);
    await expect(weightsFor(create(2), pair, [1, 0])).rejects.toThrow(
      "log_mgda: works on ln L_i and needs every loss > 0, but task 'task1' has loss 0 at step 3",
    );
  });
});
