import { selectBackend } from '@mtl2r/backend';
import {
  createCombineInput,
  createStrategy,
  MemoryMetricsSink,
  Rng,
  type Strategy,
  UserError,
} from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from './fixtures/nash-reference.json' with { type: 'json' };
import plugin, { type NashmtlOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ updateWeightsEvery: 3, maxNorm: 0 }, { compat: 'deepmtl2r' }],
  invalidOptions: [
    { options: { updateWeightsEvery: 0 }, message: 'strategy.options.updateWeightsEvery' },
    { options: { maxNorm: -1 }, message: 'strategy.options.maxNorm' },
    { options: { compat: 'libmtl' }, message: 'strategy.options.compat' },
    { options: { optim_niter: 20 }, message: 'Unrecognized key: "optim_niter"' },
  ],
});
describeStrategyConformance(plugin, { options: { compat: 'deepmtl2r' }, taskCounts: [3] });

function create(taskCount: number, options: Partial<NashmtlOptions> = {}, log = new MemoryMetricsSink()) {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options, rng: new Rng(1).derive('strategy'), log });
}

async function combineRows(strategy: Strategy, rows: number[][], step = 0) {
  const grads = tf.tensor2d(rows);
  try {
    const out = await strategy.combine(
      createCombineInput({ step, epoch: 0, losses: new Float32Array(rows.length).fill(1), grads }),
    );
    const direction = out.direction === undefined ? undefined : Array.from(out.direction.dataSync());
    out.direction?.dispose();
    return { weights: Array.from(out.weights), direction, diagnostics: out.diagnostics ?? {} };
  } finally {
    grads.dispose();
  }
}

const combination = (rows: number[][], weights: number[]) =>
  (rows[0] as number[]).map((_, k) =>
    rows.reduce((sum, row, i) => sum + (weights[i] as number) * (row[k] as number), 0),
  );

describe('nashmtl', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('orthogonal gradients: alpha_i = 1 / ||g_i||, d has norm sqrt(K) and is clipped to 1', async () => {
    // g_0 = (1, 0), g_1 = (0, 2): alpha = (1, 0.5), d = (1, 1), ||d||^2 = sum_i alpha_i (G G^T alpha)_i = K = 2.
    const rows = [
      [1, 0],
      [0, 2],
    ];
    const out = await combineRows(create(2), rows);
    expect(out.weights[0]).toBeCloseTo(1, 6);
    expect(out.weights[1]).toBeCloseTo(0.5, 6);
    const scale = 1 / (Math.SQRT2 + 1e-6); // torch's clip_grad_norm_ factor
    expect(out.diagnostics.clip_scale).toBeCloseTo(scale, 6);
    expect(out.direction?.[0]).toBeCloseTo(scale, 5);
    expect(out.direction?.[1]).toBeCloseTo(scale, 5);
    expect(out.diagnostics.nash_status).toBe(0);
    // compat deepmtl2r and maxNorm 0: no clip, no direction, the same alpha
    for (const options of [{ compat: 'deepmtl2r' as const }, { maxNorm: 0 }]) {
      const plain = await combineRows(create(2, options), rows);
      expect(plain.direction).toBeUndefined();
      expect(plain.weights[1]).toBeCloseTo(0.5, 6);
    }
  });

  it("agrees with the reference problem's alpha and combined gradients (fixture from scripts/nash-reference.py)", async () => {
    for (const [index, sample] of reference.cases.entries()) {
      const rows = sample.grads;
      const paper = await combineRows(create(rows.length), rows, 0);
      const compat = await combineRows(create(rows.length, { compat: 'deepmtl2r' }), rows, 0);
      sample.alphaFixedPoint.forEach((alpha, i) => {
        // float32 gradients: the Gram matrix carries ~1e-7 relative round-off into alpha
        expect(
          Math.abs((paper.weights[i] as number) - alpha) / alpha,
          `case ${index} task ${i}`,
        ).toBeLessThan(2e-5);
        expect(
          Math.abs((compat.weights[i] as number) - (sample.alphaReferenceSequence[i] as number)) / alpha,
        ).toBeLessThan(2e-5);
      });
      expect(paper.diagnostics.nash_residual).toBeLessThanOrEqual(1e-6);
      const compatDirection = combination(rows, compat.weights);
      sample.directionNashMtlCode.forEach((value, k) => {
        expect(paper.direction?.[k]).toBeCloseTo(value, 4);
      });
      sample.directionDeepMtl2r.forEach((value, k) => {
        expect(compatDirection[k]).toBeCloseTo(value, 4);
      });
    }
  });

  it('keeps alpha in state() as the warm start: a resumed instance continues identically', async () => {
    const data = new Rng('nash-resume');
    const steps = Array.from({ length: 4 }, () =>
      Array.from({ length: 3 }, (_, i) => Array.from({ length: 6 }, () => (i + 1) * (0.7 + data.normal()))),
    );
    const original = create(3);
    const first = await combineRows(original, steps[0] as number[][], 0);
    const saved = JSON.parse(JSON.stringify(original.state())) as { alpha: number[] };
    expect(saved.alpha).toEqual(first.weights);
    // warm from its own solution, the same problem takes no Newton step
    expect((await combineRows(original, steps[0] as number[][], 1)).diagnostics.nash_iterations).toBe(0);
    const resumed = create(3);
    resumed.loadState(saved);
    for (let step = 1; step < 4; step++) {
      const a = await combineRows(resumed, steps[step] as number[][], step + 1);
      const b = await combineRows(original, steps[step] as number[][], step + 1);
      expect(a.weights).toEqual(b.weights);
      expect(a.diagnostics.nash_iterations).toBe(b.diagnostics.nash_iterations);
    }
  });

  it('updateWeightsEvery N solves on steps 0, N, 2N and reuses alpha in between', async () => {
    const strategy = create(2, { updateWeightsEvery: 3 });
    const a = [
      [1, 0],
      [0, 2],
    ];
    const b = [
      [2, 0],
      [0, 1],
    ];
    expect((await combineRows(strategy, a, 0)).weights[1]).toBeCloseTo(0.5, 6);
    const held = await combineRows(strategy, b, 1);
    expect(held.weights[1]).toBeCloseTo(0.5, 6);
    expect(held.diagnostics.nash_iterations).toBeUndefined();
    expect((await combineRows(strategy, b, 2)).weights[1]).toBeCloseTo(0.5, 6);
    const solved = await combineRows(strategy, b, 3);
    expect(solved.weights[0]).toBeCloseTo(0.5, 6);
    expect(solved.weights[1]).toBeCloseTo(1, 6);
  });

  it('a solver stopped by the cap logs a diagnostic every step and uses its best positive iterate', async () => {
    const log = new MemoryMetricsSink();
    const strategy = create(3, { maxIterations: 1, maxNorm: 0 }, log);
    const rows = [
      [1, 0.2, 0],
      [0.1, 3, 0.5],
      [0.3, 0, 0.05],
    ];
    for (let step = 0; step < 2; step++) {
      const out = await combineRows(strategy, rows, step);
      expect(out.diagnostics.nash_status).toBe(1);
      expect(out.weights.every((w) => w > 0 && Number.isFinite(w))).toBe(true);
      // not the equal-weights fallback of other libraries
      expect(new Set(out.weights.map((w) => w.toFixed(6))).size).toBe(3);
    }
    const records = log.records.filter((r) => r.metric === 'nash_not_converged');
    expect(records.map((r) => r.step)).toEqual([0, 1]);
    expect(records.every((r) => (r.value as number) > 1e-6)).toBe(true);
  });

  it('at a Pareto-stationary point uses the min-norm weights and logs it (no positive solution exists)', async () => {
    const log = new MemoryMetricsSink();
    const out = await combineRows(
      create(2, {}, log),
      [
        [1, 0],
        [-1, 0],
      ],
      0,
    );
    expect(out.weights[0]).toBeCloseTo(0.5, 6);
    expect(out.weights[1]).toBeCloseTo(0.5, 6);
    expect(out.diagnostics.nash_status).toBe(2);
    expect(out.direction?.every((v) => Math.abs(v) < 1e-6)).toBe(true);
    expect(log.records.map((r) => r.metric)).toEqual(['nash_pareto_stationary']);
  });

  it('says what is missing and refuses a state that is not its own', async () => {
    await expect(async () =>
      create(2).combine({ step: 0, epoch: 0, losses: Float32Array.of(1, 1) }),
    ).rejects.toThrow('nashmtl needs the per-task gradients of the shared parameters');
    expect(() => create(2).loadState({ alpha: [1] })).toThrow(UserError);
    expect(() => create(2).loadState({ alpha: [1, -1] })).toThrow(
      /expected \{ alpha: null or 2 finite numbers >= 0 \}/,
    );
  });
});
