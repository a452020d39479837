import { selectBackend } from '@mtl2r/backend';
import { createCombineInput, createStrategy, type Strategy } from '@mtl2r/core';
import { type ConformanceCases, describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin, { type WcMgdaPluginOptions } from './index.js';

const cases: ConformanceCases<WcMgdaPluginOptions> = {
  validOptions: [{ u: 0.5 }, { gradientSpace: 'representation' }, { compat: 'deepmtl2r' }],
  invalidOptions: [
    { options: { u: -0.1 }, message: 'strategy.options.u' },
    { options: { gradientSpace: 'last' }, message: 'strategy.options.gradientSpace' },
    { options: { compat: 'paper' }, message: 'strategy.options.compat' },
    { options: { lb: [0, 0] }, message: 'Unrecognized key: "lb"' },
  ],
};
describeStrategyConformance(plugin, cases);
describeStrategyConformance(plugin, { ...cases, options: { compat: 'deepmtl2r' } });

function create(preference: number[], options: Partial<WcMgdaPluginOptions> = {}): Strategy {
  const taskNames = preference.map((_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, preference, options });
}

async function combine(strategy: Strategy, rows: number[][], losses: number[]) {
  const grads = tf.tensor2d(rows);
  try {
    const out = await strategy.combine(
      createCombineInput({ step: 0, epoch: 0, losses: Float32Array.from(losses), grads }),
    );
    return { weights: Array.from(out.weights), diagnostics: out.diagnostics ?? {} };
  } finally {
    grads.dispose();
  }
}

const orthonormal = [
  [1, 0],
  [0, 1],
];

describe('wc_mgda', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('the paper weights alpha * r, DeepMTL2R alpha itself (hand-computed)', async () => {
    // r = (1, 3) -> (1/4, 3/4), L = (3, 1): r L = (3/4, 3/4), so alpha.c is constant on the simplex and alpha
    // minimises ||K alpha||^2 proportional to alpha_0^2 + 9 alpha_1^2: alpha = (9/10, 1/10).
    const compat = await combine(create([1, 3], { compat: 'deepmtl2r' }), orthonormal, [3, 1]);
    expect(compat.weights[0]).toBeCloseTo(0.9, 6);
    // alpha * r = (0.225, 0.075) -> (3/4, 1/4).
    const paper = await combine(create([1, 3]), orthonormal, [3, 1]);
    expect(paper.weights[0]).toBeCloseTo(0.75, 6);
    expect(paper.weights[1]).toBeCloseTo(0.25, 6);
    // objective 1/sqrt 2 - 0.1 sqrt(0.81 + 0.09) / 3
    expect(paper.diagnostics.wc_objective).toBeCloseTo(Math.SQRT1_2 - (0.1 * Math.sqrt(0.9)) / 3, 6);
    expect(paper.diagnostics.solver_converged).toBe(1);
  });

  it('u trades the Chebyshev task against the common direction (hand-computed)', async () => {
    // r = (1/2, 1/2), L = (2, 1): c = (2, 1)/sqrt 5, norm term u ||alpha||. u = 0: all weight on task 0
    // (the weighted Chebyshev choice); u = 1: alpha_0 = 2/3 (solver test); large u: the min-norm point (1/2, 1/2).
    expect((await combine(create([1, 1], { u: 0 }), orthonormal, [2, 1])).weights).toEqual([1, 0]);
    expect((await combine(create([1, 1], { u: 1 }), orthonormal, [2, 1])).weights[0]).toBeCloseTo(2 / 3, 6);
    expect((await combine(create([1, 1], { u: 1e5 }), orthonormal, [2, 1])).weights[0]).toBeCloseTo(0.5, 4);
  });

  it('needs the gradients in the chosen space and a preference', () => {
    expect(create([1, 1]).needs).toEqual({ grads: 'shared', preference: true });
    expect(create([1, 1], { gradientSpace: 'representation' }).needs.grads).toBe('representation');
  });
});
