import { selectBackend } from '@mtl2r/backend';
import { type CombineOutput, createCombineInput, createStrategy, type Strategy } from '@mtl2r/core';
import { type ConformanceCases, describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin, { type CagradOptions } from './index.js';

const cases: ConformanceCases<CagradOptions> = {
  validOptions: [
    { c: 0 },
    { c: 0.5, rescale: 'none' },
    { rescale: 'one-plus-c', maxIterations: 20 },
    { compat: 'deepmtl2r' },
  ],
  invalidOptions: [
    { options: { c: -0.1 }, message: 'strategy.options.c' },
    { options: { rescale: 1 }, message: 'strategy.options.rescale' },
    { options: { maxIterations: 0 }, message: 'strategy.options.maxIterations' },
    { options: { compat: 'libmtl' }, message: 'strategy.options.compat' },
  ],
};
describeStrategyConformance(plugin, cases);
describeStrategyConformance(plugin, { ...cases, options: { compat: 'deepmtl2r' } });

function create(taskCount: number, options: Partial<CagradOptions> = {}): Strategy {
  return createStrategy(plugin, {
    taskNames: Array.from({ length: taskCount }, (_, i) => `task${i}`),
    options,
  });
}

async function combine(
  strategy: Strategy,
  rows: number[][],
): Promise<{ weights: number[]; direction?: number[]; diagnostics: CombineOutput['diagnostics'] }> {
  const grads = tf.tensor2d(rows);
  try {
    const out = await strategy.combine(
      createCombineInput({ step: 0, epoch: 0, losses: Float32Array.from(rows.map(() => 1)), grads }),
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

describe('cagrad', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('orthonormal gradients: w = (1/2, 1/2), lambda = c, d = (1 + c) g0 / (1 + c^2)', async () => {
    // g0 = (0.5, 0.5), radius 0.4 ||g0||; the inner problem's linear part is constant, so w minimises ||g_w||:
    // w = (0.5, 0.5), ||g_w|| = ||g0||, lambda = 0.4; d = 1.4 g0 / 1.16 -> weights 0.7 / 1.16 each.
    const { weights } = await combine(create(2), [
      [1, 0],
      [0, 1],
    ]);
    expect(weights[0]).toBeCloseTo(0.7 / 1.16, 6);
    expect(weights[1]).toBeCloseTo(0.7 / 1.16, 6);
  });

  it('unequal gradients: the ball leans toward the weaker task, which sets the worst improvement', async () => {
    // g_0 = (2, 0), g_1 = (0, 1): g0 = (1, 0.5), ||g0||^2 = 1.25, radius 0.4 sqrt(1.25). On w = (t, 1 - t),
    // F(t) = 0.5 + 1.5 t + radius sqrt(4 t^2 + (1 - t)^2) has F'(0) = 1.5 - radius > 0, so w = (0, 1),
    // lambda = radius, d = g0 + radius (0, 1): coefficients (0.5, 0.5 + radius) / 1.16. The worst task's
    // improvement g_1 . d = 0.5 + radius (before rescaling).
    const radius = 0.4 * Math.sqrt(1.25);
    const { weights, diagnostics } = await combine(create(2), [
      [2, 0],
      [0, 1],
    ]);
    expect(weights[0]).toBeCloseTo(0.5 / 1.16, 6);
    expect(weights[1]).toBeCloseTo((0.5 + radius) / 1.16, 6);
    expect(diagnostics?.worst_improvement).toBeCloseTo(0.5 + radius, 6);
  });

  it('c = 0 is the mean gradient; rescale divides by 1, 1 + c^2 or 1 + c', async () => {
    const rows = [
      [1, 0],
      [0, 1],
    ];
    const mean = await combine(create(2, { c: 0 }), rows);
    expect(mean.weights[0]).toBeCloseTo(0.5, 6);
    expect(mean.weights[1]).toBeCloseTo(0.5, 6);
    const none = await combine(create(2, { rescale: 'none' }), rows);
    expect(none.weights[0]).toBeCloseTo(0.7, 6);
    const plusC = await combine(create(2, { rescale: 'one-plus-c' }), rows);
    expect(plusC.weights[0]).toBeCloseTo(0.5, 6);
  });

  it("compat 'deepmtl2r': times K, the shared direction clipped to norm 1, heads with weight 1", async () => {
    // As above, the reference's coefficients are ~0.7 / 1.16 each, times K = 2: the combined gradient is
    // 1.2069 (1, 1), norm 1.7068 > 1, so it is scaled to norm 1 (torch's clip: 1 / (norm + 1e-6)).
    const { weights, direction, diagnostics } = await combine(create(2, { compat: 'deepmtl2r' }), [
      [1, 0],
      [0, 1],
    ]);
    expect(weights).toEqual([1, 1]);
    const norm = (2 * 0.7 * Math.SQRT2) / 1.16;
    expect(diagnostics?.shared_norm).toBeCloseTo(norm, 5);
    expect(direction?.[0]).toBeCloseTo(Math.SQRT1_2 * (norm / (norm + 1e-6)), 5);
    expect(direction?.[1]).toBeCloseTo(Math.SQRT1_2 * (norm / (norm + 1e-6)), 5);
  });

  it("compat 'deepmtl2r': a small combined gradient is not clipped", async () => {
    const { direction, diagnostics } = await combine(create(2, { compat: 'deepmtl2r' }), [
      [0.01, 0],
      [0, 0.01],
    ]);
    expect(diagnostics?.clip_scale).toBe(1);
    // 2 * (0.5 + 0.5 lambda) / 1.16 * 0.01 with lambda ~ 0.4
    expect(direction?.[0]).toBeCloseTo((2 * 0.7 * 0.01) / 1.16, 6);
  });
});
