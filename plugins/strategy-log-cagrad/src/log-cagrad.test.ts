import { selectBackend } from '@mtl2r/backend';
import { type CombineOutput, createCombineInput, createStrategy, type Strategy } from '@mtl2r/core';
import { type ConformanceCases, describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin, { type LogCagradOptions } from './index.js';

const cases: ConformanceCases<LogCagradOptions> = {
  validOptions: [{ c: 0 }, { c: 0.5, rescale: 'none' }, { compat: 'deepmtl2r' }],
  invalidOptions: [
    { options: { c: -1 }, message: 'strategy.options.c' },
    { options: { rescale: 'two' }, message: 'strategy.options.rescale' },
    { options: { compat: true }, message: 'strategy.options.compat' },
  ],
};
describeStrategyConformance(plugin, cases);
describeStrategyConformance(plugin, { ...cases, options: { compat: 'deepmtl2r' } });

function create(taskCount: number, options: Partial<LogCagradOptions> = {}): Strategy {
  return createStrategy(plugin, {
    taskNames: Array.from({ length: taskCount }, (_, i) => `task${i}`),
    options,
  });
}

async function combine(
  strategy: Strategy,
  rows: number[][],
  losses: number[],
): Promise<{ weights: number[]; direction?: number[]; diagnostics: CombineOutput['diagnostics'] }> {
  const grads = tf.tensor2d(rows);
  try {
    const out = await strategy.combine(
      createCombineInput({ step: 2, epoch: 0, losses: Float32Array.from(losses), grads }),
    );
    const direction = out.direction === undefined ? undefined : Array.from(out.direction.dataSync());
    out.direction?.dispose();
    return {
      weights: Array.from(out.weights),
      ...(direction ? { direction } : {}),
      diagnostics: out.diagnostics,
    };
  } finally {
    grads.dispose();
  }
}

// g_0 = (1, 0), g_1 = (0, 1), L = [2, 0.5]: the log-loss gradients are h_0 = (0.5, 0) and h_1 = (0, 2).
const rows = [
  [1, 0],
  [0, 1],
];
const losses = [2, 0.5];

describe('log_cagrad', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('CAGrad on g_i / L_i, mapped back as w_i / L_i', async () => {
    // M' = diag(0.25, 4), h0 = (0.25, 1), ||h0||^2 = 1.0625, radius 0.4 sqrt(1.0625). On w = (t, 1 - t):
    // F(t) = 0.125 t + 2 (1 - t) + radius sqrt(0.25 t^2 + 4 (1 - t)^2), F'(1) = -1.875 + radius < 0: w = (1, 0),
    // ||h_w|| = 0.5, lambda = 2 radius; coefficients on h: (0.5 + 2 radius, 0.5) / 1.16, on g: divided by L.
    const radius = 0.4 * Math.sqrt(1.0625);
    const { weights } = await combine(create(2), rows, losses);
    expect(weights[0]).toBeCloseTo((0.5 + 2 * radius) / 1.16 / 2, 6);
    expect(weights[1]).toBeCloseTo(0.5 / 1.16 / 0.5, 6);
  });

  it("compat 'deepmtl2r': heads on the gradient of ln L_i (1 / L_i), the shared direction times K and clipped", async () => {
    const { weights, direction, diagnostics } = await combine(
      create(2, { compat: 'deepmtl2r' }),
      rows,
      losses,
    );
    expect(weights[0]).toBeCloseTo(0.5, 12);
    expect(weights[1]).toBeCloseTo(2, 12);
    // K (0.5 + 2 radius) / 1.16 / 2 on g_0 and K 0.5 / 1.16 / 0.5 on g_1: norm 2.14 > 1, clipped to 1.
    const radius = 0.4 * Math.sqrt(1.0625);
    const unclipped = [(2 * (0.5 + 2 * radius)) / 1.16 / 2, (2 * 0.5) / 1.16 / 0.5];
    const norm = Math.hypot(...unclipped);
    expect(diagnostics?.shared_norm).toBeCloseTo(norm, 5);
    expect(direction?.[0]).toBeCloseTo((unclipped[0] as number) / (norm + 1e-6), 5);
    expect(direction?.[1]).toBeCloseTo((unclipped[1] as number) / (norm + 1e-6), 5);
  });

  it('declares positive losses and refuses a loss <= 0 with the task and step', async () => {
    expect(plugin.needs).toEqual({ grads: 'shared', positiveLosses: true });
    await expect(combine(create(2), rows, [0, 1])).rejects.toThrow(
      "log_cagrad: works on ln L_i and needs every loss > 0, but task 'task0' has loss 0 at step 2",
    );
  });
});
