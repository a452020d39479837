import { selectBackend } from '@mtl2r/backend';
import { createStrategy, type Strategy } from '@mtl2r/core';
import { combineOnRows, describeStrategyConformance, relativeError } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from './fixtures/reference.json' with { type: 'json' };
import plugin, { type DbMtlOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ beta: 0.5, betaSigma: 0.5 }],
  invalidOptions: [
    { options: { beta: 1.5 }, message: 'strategy.options.beta' },
    { options: { betaSigma: -1 }, message: 'strategy.options.betaSigma' },
  ],
});

function create(taskCount: number, options: Partial<DbMtlOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options });
}

describe('db_mtl', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('hand-computed: log-loss gradients averaged, then each scaled up to the largest norm', async () => {
    const strategy = create(2, { beta: 0.5 });
    // step 1: h = 0.5 * g / L: g0/L0 = (4, 0)/2 -> h0 = (1, 0); g1/L1 = (0, 1)/0.5 -> h1 = (0, 1)
    // equal norms: d = h0 + h1 = (1, 1); head weights 1 / L = (0.5, 2)
    const first = await combineOnRows(strategy, {
      losses: [2, 0.5],
      grads: [
        [4, 0],
        [0, 1],
      ],
    });
    expect(Array.from(first.combined)).toEqual([expect.closeTo(1, 6), expect.closeTo(1, 6)]);
    expect(first.weights).toEqual([expect.closeTo(0.5, 6), expect.closeTo(2, 6)]);
    // step 2: g0/L0 = (2, 0)/1 -> h0 = 0.5 (2,0) + 0.5 (1,0) = (1.5, 0); g1/L1 = (0, 1) -> h1 = (0, 1)
    // d = (1.5, 0) + 1.5 (0, 1) = (1.5, 1.5)
    const second = await combineOnRows(strategy, {
      losses: [1, 1],
      grads: [
        [2, 0],
        [0, 1],
      ],
    });
    expect(Array.from(second.combined)).toEqual([expect.closeTo(1.5, 5), expect.closeTo(1.5, 5)]);
    expect(second.diagnostics['scale(1)']).toBeCloseTo(1.5, 5);
    strategy.dispose();
  });

  it("agrees with LibMTL's DB_MTL over several steps (beta 0.9, betaSigma 0.5; fixture from scripts/reference)", async () => {
    for (const run of reference.runs) {
      const strategy = create(run[0]?.losses.length ?? 0, {
        beta: reference.beta,
        betaSigma: reference.betaSigma,
      });
      for (const step of run) {
        const out = await combineOnRows(strategy, step);
        expect(relativeError(out.combined, step.combined)).toBeLessThan(1e-4);
      }
      strategy.dispose();
    }
  });

  it('resumes bit-exactly from its checkpointed buffer and frees it on dispose', async () => {
    const grads = [
      [0.3, -1, 2],
      [1, 0.5, -0.25],
    ];
    const a = create(2);
    await combineOnRows(a, { losses: [1, 2], grads });
    const b = create(2);
    b.loadState(JSON.parse(JSON.stringify(a.state())));
    const next = {
      losses: [0.5, 1],
      grads: [
        [1, 1, 1],
        [0.1, -3, 2],
      ],
    };
    expect(Array.from((await combineOnRows(b, next)).combined)).toEqual(
      Array.from((await combineOnRows(a, next)).combined),
    );
    const before = tf.memory().numTensors;
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    expect(() => b.loadState({ buffer: 'x' })).toThrow(
      '@mtl2r/strategy-db-mtl: saved state is not a db_mtl state',
    );
  });
});
