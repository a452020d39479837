import { selectBackend } from '@mtl2r/backend';
import { createCombineInput, createStrategy, Rng, type Strategy, UserError } from '@mtl2r/core';
import { randomPcgradOrders } from '@mtl2r/solvers';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin, { type PcgradOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ reduction: 'mean' }],
  invalidOptions: [
    { options: { reduction: 'max' }, message: 'strategy.options.reduction' },
    { options: { clipNorm: 1 }, message: 'Unrecognized key: "clipNorm"' },
    { options: { compat: 'libmtl' }, message: 'strategy.options.compat' },
  ],
});
describeStrategyConformance(plugin, { options: { compat: 'deepmtl2r' } });

function create(taskCount: number, seed: number, options: Partial<PcgradOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options, rng: new Rng(seed).derive('strategy') });
}

async function combineRows(strategy: Strategy, rows: number[][], step = 0) {
  const grads = tf.tensor2d(rows);
  try {
    const out = await strategy.combine(
      createCombineInput({
        step,
        epoch: 0,
        losses: new Float32Array(rows.length).fill(1),
        grads,
      }),
    );
    return { weights: Array.from(out.weights), diagnostics: out.diagnostics ?? {} };
  } finally {
    grads.dispose();
  }
}

/** PCGrad written out on explicit vectors, exactly as Algorithm 1 of the paper, for a given order. */
function explicitPcgrad(vectors: number[][], orders: number[][]): number[] {
  const dot = (a: number[], b: number[]) => a.reduce((sum, v, k) => sum + v * (b[k] as number), 0);
  const total = new Array<number>((vectors[0] as number[]).length).fill(0);
  vectors.forEach((g, i) => {
    const projected = g.slice();
    for (const j of orders[i] as number[]) {
      const other = vectors[j] as number[];
      const inner = dot(projected, other);
      if (inner < 0) {
        const factor = inner / dot(other, other);
        other.forEach((v, k) => {
          projected[k] = (projected[k] as number) - factor * v;
        });
      }
    }
    projected.forEach((v, k) => {
      total[k] = (total[k] as number) + v;
    });
  });
  return total;
}

describe('pcgrad', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('two conflicting tasks: weights [2, 1.5] for g_0 = (1, 0), g_1 = (-1, 1)', async () => {
    // g_0.g_1 = -1, ||g_0||^2 = 1, ||g_1||^2 = 2.
    // g_0' = g_0 - (-1 / 2) g_1 = g_0 + 0.5 g_1 = (0.5, 0.5); g_1' = g_1 - (-1 / 1) g_0 = g_1 + g_0 = (0, 1).
    // g_0' + g_1' = 2 g_0 + 1.5 g_1 = (0.5, 1.5).
    const { weights, diagnostics } = await combineRows(create(2, 1), [
      [1, 0],
      [-1, 1],
    ]);
    expect(weights[0]).toBeCloseTo(2, 6);
    expect(weights[1]).toBeCloseTo(1.5, 6);
    expect(diagnostics.conflicting_pairs).toBe(1);
  });

  it('no conflict: the plain sum, weights all 1 (or 1/K with reduction mean)', async () => {
    const rows = [
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 2],
    ];
    expect((await combineRows(create(3, 1), rows)).weights).toEqual([1, 1, 1]);
    const mean = (await combineRows(create(3, 1, { reduction: 'mean' }), rows)).weights;
    mean.forEach((w) => {
      expect(w).toBeCloseTo(1 / 3, 12);
    });
  });

  it('three tasks: the projection order comes from ctx.rng and changes the result as worked by hand', async () => {
    // g_0 = (1, 0), g_1 = (-1, 1), g_2 = (0, -1): g_0.g_1 = -1, g_1.g_2 = -1, g_0.g_2 = 0;
    // ||g_0||^2 = 1, ||g_1||^2 = 2, ||g_2||^2 = 1. Rows are coefficients on (g_0, g_1, g_2).
    // Task 0, order (1, 2): g_0' = g_0 + 0.5 g_1 = (0.5, 0.5); g_0'.g_2 = -0.5 -> + 0.5 g_2 => (1, 0.5, 0.5).
    // Task 0, order (2, 1): g_0.g_2 = 0 (no conflict); then + 0.5 g_1              => (1, 0.5, 0).
    // Task 1, either order: + g_0 and + g_2 (each step still conflicts)              => (1, 1, 1).
    // Task 2, order (0, 1): g_2.g_0 = 0; g_2.g_1 = -1 -> + 0.5 g_1                   => (0, 0.5, 1).
    // Task 2, order (1, 0): + 0.5 g_1 = (-0.5, -0.5); then .g_0 = -0.5 -> + 0.5 g_0   => (0.5, 0.5, 1).
    const rows = [
      [1, 0],
      [-1, 1],
      [0, -1],
    ];
    const task0 = (order: readonly number[]) => (order[0] === 1 ? [1, 0.5, 0.5] : [1, 0.5, 0]);
    const task2 = (order: readonly number[]) => (order[0] === 0 ? [0, 0.5, 1] : [0.5, 0.5, 1]);
    const strategy = create(3, 17);
    const twin = new Rng(17).derive('strategy'); // the stream the strategy was given
    const seen = new Set<string>();
    for (let step = 0; step < 16; step++) {
      const orders = randomPcgradOrders(3, twin);
      const a = task0(orders[0] as number[]);
      const c = task2(orders[2] as number[]);
      const expected = [0, 1, 2].map((k) => (a[k] as number) + 1 + (c[k] as number));
      const { weights } = await combineRows(strategy, rows, step);
      weights.forEach((w, k) => {
        expect(w).toBeCloseTo(expected[k] as number, 6);
      });
      seen.add(expected.join(','));
    }
    // All four order combinations give different weights; 16 steps meet more than one of them.
    expect(seen.size).toBeGreaterThan(1);
  });

  it('the weights applied to the original gradients equal PCGrad done explicitly on the vectors', async () => {
    const data = new Rng(2024);
    for (const taskCount of [2, 3, 5]) {
      const strategy = create(taskCount, 90 + taskCount);
      const twin = new Rng(90 + taskCount).derive('strategy');
      for (let step = 0; step < 5; step++) {
        const vectors = Array.from({ length: taskCount }, () =>
          Array.from({ length: 7 }, () => data.normal()),
        );
        const orders = randomPcgradOrders(taskCount, twin);
        const expected = explicitPcgrad(vectors, orders);
        const { weights } = await combineRows(strategy, vectors, step);
        const combined = expected.map((_, k) =>
          weights.reduce((sum, w, i) => sum + w * (vectors[i]?.[k] as number), 0),
        );
        combined.forEach((value, k) => {
          expect(value).toBeCloseTo(expected[k] as number, 4);
        });
      }
    }
  });

  it('resumes from state() with the same orders; refuses a state that is not its own', async () => {
    const rows = [
      [1, 0],
      [-1, 1],
      [0, -1],
    ];
    const original = create(3, 5);
    await combineRows(original, rows);
    const resumed = create(3, 6);
    resumed.loadState(JSON.parse(JSON.stringify(original.state())));
    for (let step = 1; step < 6; step++) {
      expect((await combineRows(resumed, rows, step)).weights).toEqual(
        (await combineRows(original, rows, step)).weights,
      );
    }
    expect(() => resumed.loadState({ rng: [0, 0, 0, 0] })).toThrow(UserError);
    expect(() => resumed.loadState(null)).toThrow(
      '@mtl2r/strategy-pcgrad: cannot resume from saved random state undefined',
    );
  });

  it('says what is missing when called without gradients', async () => {
    await expect(async () =>
      create(2, 1).combine({ step: 0, epoch: 0, losses: Float32Array.of(1, 1) }),
    ).rejects.toThrow('pcgrad needs the per-task gradients of the shared parameters');
  });

  it('does not dispose the gradients it is given', async () => {
    const grads = tf.tensor2d([
      [1, 0],
      [-1, 1],
    ]);
    await create(2, 1).combine(
      createCombineInput({ step: 0, epoch: 0, losses: Float32Array.of(1, 1), grads }),
    );
    expect(grads.isDisposed).toBe(false);
    grads.dispose();
  });
});
