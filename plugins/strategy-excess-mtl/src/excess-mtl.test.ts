import { selectBackend } from '@mtl2r/backend';
import { createStrategy, type Strategy } from '@mtl2r/core';
import { combineOnRows, describeStrategyConformance, relativeError } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from './fixtures/reference.json' with { type: 'json' };
import plugin, { type ExcessMtlOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ robustStepSize: 0.5 }],
  invalidOptions: [{ options: { robustStepSize: -1 }, message: 'strategy.options.robustStepSize' }],
});

function create(taskCount: number, options: Partial<ExcessMtlOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options });
}

describe('excess_mtl', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('hand-computed: first step weights 1; second step w ~ exp(eta e / e0), renormalised to sum K', async () => {
    const strategy = create(2, { robustStepSize: 1 });
    // step 1: g0 = (2, 0), g1 = (0, 1): H = g^2; e_i = sum g^2 / sqrt(g^2 + 1e-7) ~ (2, 1) = e0; weights (1, 1)
    const first = await combineOnRows(strategy, {
      losses: [1, 1],
      grads: [
        [2, 0],
        [0, 1],
      ],
    });
    expect(first.weights).toEqual([1, 1]);
    // step 2, same gradients: H = 2 g^2, e_i = g^2 / sqrt(2 g^2) = |g| / sqrt 2, e / e0 = 1 / sqrt 2 for both
    // -> equal growth, weights stay (1, 1); then g1 doubles at step 3: e1/e1_0 = 4 / sqrt(6)
    const second = await combineOnRows(strategy, {
      losses: [1, 1],
      grads: [
        [2, 0],
        [0, 1],
      ],
    });
    expect(second.weights).toEqual([expect.closeTo(1, 5), expect.closeTo(1, 5)]);
    const third = await combineOnRows(strategy, {
      losses: [1, 1],
      grads: [
        [2, 0],
        [0, 2],
      ],
    });
    const r0 = 4 / Math.sqrt(12) / 2; // e0 at step 3: 4 / sqrt(3 * 4) over e0_0 = 2
    const r1 = 4 / Math.sqrt(6) / 1; // 4 / sqrt(1 + 1 + 4) over 1
    const a = Math.exp(r0);
    const b = Math.exp(r1);
    expect(third.weights[0]).toBeCloseTo((2 * a) / (a + b), 5);
    expect(third.weights[1]).toBeCloseTo((2 * b) / (a + b), 5);
  });

  it("agrees with LibMTL's ExcessMTL over several steps (fixture from scripts/reference)", async () => {
    for (const run of reference.runs) {
      const strategy = create(run[0]?.losses.length ?? 0, { robustStepSize: reference.robustStepSize });
      for (const step of run) {
        const out = await combineOnRows(strategy, step);
        expect(relativeError(out.combined, step.combined)).toBeLessThan(1e-4);
      }
      strategy.dispose();
    }
  });

  it('checkpoints the AdaGrad accumulator bit-exactly and frees it on dispose', async () => {
    const grads = [
      [0.3, -1, 2],
      [1, 0.5, -0.25],
    ];
    const a = create(2);
    await combineOnRows(a, { losses: [1, 1], grads });
    const b = create(2);
    b.loadState(JSON.parse(JSON.stringify(a.state())));
    const next = [
      [1, 1, 1],
      [0.1, -3, 2],
    ];
    expect((await combineOnRows(b, { losses: [1, 1], grads: next })).weights).toEqual(
      (await combineOnRows(a, { losses: [1, 1], grads: next })).weights,
    );
    const before = tf.memory().numTensors;
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    expect(() => create(3).loadState({ lossWeights: [1] })).toThrow('not an excess_mtl state for 3 tasks');
  });
});
