import { selectBackend } from '@mtl2r/backend';
import { createCombineInput, createStrategy, type Strategy } from '@mtl2r/core';
import { type ConformanceCases, describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin, { type EpoPluginOptions } from './index.js';

const cases: ConformanceCases<EpoPluginOptions> = {
  validOptions: [{ epsilon: 0.01 }, { gradientSpace: 'representation' }, { compat: 'deepmtl2r' }],
  invalidOptions: [
    { options: { epsilon: -1 }, message: 'strategy.options.epsilon' },
    { options: { gradientSpace: 'last' }, message: 'strategy.options.gradientSpace' },
    { options: { compat: 'libmtl' }, message: 'strategy.options.compat' },
    { options: { mode: 'lp' }, message: 'Unrecognized key: "mode"' },
  ],
};
describeStrategyConformance(plugin, cases);
describeStrategyConformance(plugin, { ...cases, options: { compat: 'deepmtl2r' } });

function create(preference: number[], options: Partial<EpoPluginOptions> = {}): Strategy {
  const taskNames = preference.map((_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, preference, options });
}

async function combine(strategy: Strategy, rows: number[][], losses: number[]) {
  const grads = tf.tensor2d(rows);
  try {
    const out = await strategy.combine(
      createCombineInput({ step: 3, epoch: 0, losses: Float32Array.from(losses), grads }),
    );
    return { weights: Array.from(out.weights), diagnostics: out.diagnostics ?? {} };
  } finally {
    grads.dispose();
  }
}

describe('epo', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('balance: all weight on the task above the preference ray (hand-computed, see epo-weights.test.ts)', async () => {
    // r = (1, 1) -> (1/2, 1/2), L = (2, 1), orthonormal gradients: mu = 0.056633, alpha = (1, 0).
    const out = await combine(
      create([1, 1]),
      [
        [1, 0],
        [0, 1],
      ],
      [2, 1],
    );
    expect(out.weights).toEqual([1, 0]);
    expect(out.diagnostics.epo_mode).toBe(1);
    expect(out.diagnostics.non_uniformity).toBeCloseTo(0.056633, 5);
  });

  it('descent on the ray: no task ascends, the summed derivative is largest (hand-computed)', async () => {
    // r = (1, 3) -> (1/4, 3/4), L = (3, 1): on the ray. g_0 = (2, 0), g_1 = (-1/2, sqrt(3)/2): C = [[4, -1], [-1, 1]],
    // alpha_0 in [1/5, 1/2] keeps C alpha >= 0; 1^T C alpha = 3 alpha_0 -> alpha = (1/2, 1/2).
    const out = await combine(
      create([1, 3]),
      [
        [2, 0],
        [-0.5, Math.sqrt(3) / 2],
      ],
      [3, 1],
    );
    expect(out.diagnostics.epo_mode).toBe(0);
    expect(out.weights[0]).toBeCloseTo(0.5, 5);
    expect(out.weights[1]).toBeCloseTo(0.5, 5);
  });

  it("compat 'deepmtl2r': DeepMTL2R's least-squares anchor QP (hand-computed)", async () => {
    // M = diag(4, 1), r = (1/2, 1/2), L = (1, 1): on the ray, a = L / ||M||_2 -> alpha_0 = 4/17.
    const out = await combine(
      create([1, 1], { compat: 'deepmtl2r' }),
      [
        [2, 0],
        [0, 1],
      ],
      [1, 1],
    );
    expect(out.weights[0]).toBeCloseTo(4 / 17, 5);
    expect(out.diagnostics.balancing).toBe(0);
  });

  it('the instance needs positive losses, except under compat', () => {
    expect(create([1, 1]).needs).toEqual({ grads: 'shared', preference: true, positiveLosses: true });
    expect(create([1, 1], { compat: 'deepmtl2r', gradientSpace: 'representation' }).needs).toEqual({
      grads: 'representation',
      preference: true,
      positiveLosses: false,
    });
  });

  it('refuses a loss <= 0 naming the task and step', async () => {
    await expect(
      combine(
        create([1, 1]),
        [
          [1, 0],
          [0, 1],
        ],
        [1, -0.5],
      ),
    ).rejects.toThrow("epo: task 'task1' has loss -0.5 at step 3");
  });
});
