import { ConfigError, createStrategy, type Strategy, UserError } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import plugin, { type EcOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [
    { epsilon: 0.5, mu: 1 },
    { epsilon: [0.5, 0.7], mainTask: 1 },
    { epsilon: 0.5, initialMultiplier: 1, compat: 'deepmtl2r' },
  ],
  invalidOptions: [
    { options: { epsilon: [1, -2] }, message: 'strategy.options.epsilon[1]' },
    { options: { epsilon: 0 }, message: 'strategy.options.epsilon' },
    { options: { mu: 0 }, message: 'strategy.options.mu' },
    { options: { mainTask: 0.5 }, message: 'strategy.options.mainTask' },
    { options: { initialMultiplier: -1 }, message: 'strategy.options.initialMultiplier' },
    { options: { compat: 'libmtl' }, message: 'strategy.options.compat' },
    { options: { preference: [1, 1] }, message: 'Unrecognized key: "preference"' },
  ],
});

const NAMES = ['relevance', 'click', 'dwell', 'quality'];

function create(taskCount: number, options: Partial<EcOptions> = {}): Strategy {
  return createStrategy(plugin, { taskNames: NAMES.slice(0, taskCount), options });
}

async function step(strategy: Strategy, losses: number[], index = 0): Promise<number[]> {
  return Array.from(
    (await strategy.combine({ step: index, epoch: 0, losses: Float32Array.from(losses) })).weights,
  );
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    expect(value).toBeCloseTo(expected[i] as number, 6);
  });
}

describe('epsilon-constraint', () => {
  it('grows violated multipliers by mu (L / eps - 1), zeroes satisfied ones, normalises (hand-computed)', async () => {
    const strategy = create(3, { epsilon: [1, 2], mu: 10, initialMultiplier: 1 });
    // Step 0, L = [5, 1.5, 1], multipliers start at 1 (initialMultiplier):
    //   click 1.5 > 1: 1 + 10 (1.5 - 1) = 6; dwell 1 <= 2: 0; raw [1, 6, 0], total 7 -> [1/7, 6/7, 0].
    expectClose(await step(strategy, [5, 1.5, 1], 0), [1 / 7, 6 / 7, 0]);
    // Step 1, L = [5, 1.2, 3]: click 6/7 + 10 (1.2 - 1) = 20/7; dwell 0 + 10 (3/2 - 1) = 5;
    //   raw [1, 20/7, 5], total 62/7 -> [7/62, 20/62, 35/62].
    expectClose(await step(strategy, [5, 1.2, 3], 1), [7 / 62, 20 / 62, 35 / 62]);
    // Step 2, L = [5, 0.9, 2.5]: click satisfied -> 0; dwell 35/62 + 10 (2.5/2 - 1) = 95/31;
    //   raw [1, 0, 95/31], total 126/31 -> [31/126, 0, 95/126].
    expectClose(await step(strategy, [5, 0.9, 2.5], 2), [31 / 126, 0, 95 / 126]);
    expect(strategy.state()).toEqual({ auxiliaryWeights: [0, expect.closeTo(95 / 126, 6)], epsilon: null });
  });

  it('all constraints satisfied: only the main task is trained', async () => {
    expect(await step(create(4, { epsilon: 10 }), [3, 1, 2, 9])).toEqual([1, 0, 0, 0]);
  });

  it('another main task: epsilon lists the other tasks in task order', async () => {
    // main = click (1); epsilon [1, 2] bounds relevance (0) and dwell (2). mu = 1, L = [3, 9, 1]:
    //   relevance 3 > 1: 0 + 1 (3 - 1) = 2; dwell 1 <= 2: 0; raw [2, 1, 0], total 3 -> [2/3, 1/3, 0].
    expectClose(await step(create(3, { mainTask: 1, epsilon: [1, 2], mu: 1 }), [3, 9, 1]), [2 / 3, 1 / 3, 0]);
  });

  it('starts the multipliers at 0 (DeepMTL2R driver), or at initialMultiplier', async () => {
    // L = [1, 2], eps = 1, mu = 10: 0 + 10 (2 - 1) = 10 -> [1/11, 10/11]; from 1: 11 -> [1/12, 11/12].
    expectClose(await step(create(2, { epsilon: 1 }), [1, 2]), [1 / 11, 10 / 11]);
    expectClose(await step(create(2, { epsilon: 1, initialMultiplier: 1 }), [1, 2]), [1 / 12, 11 / 12]);
  });

  it("a loss exactly at its bound zeroes its multiplier; compat 'deepmtl2r' keeps it", async () => {
    // Start 2, L = [1, 0.5], eps = 0.5: ratio 1. Default: raw [1, 0] -> [1, 0].
    // Compat: 2 + 10 (1 - 1) = 2, raw [1, 2] -> [1/3, 2/3].
    expect(await step(create(2, { epsilon: 0.5, initialMultiplier: 2 }), [1, 0.5])).toEqual([1, 0]);
    const compat = create(2, { epsilon: 0.5, initialMultiplier: 2, compat: 'deepmtl2r' });
    expectClose(await step(compat, [1, 0.5]), [1 / 3, 2 / 3]);
  });

  it('without epsilon the bounds are the first step auxiliary losses, and they are checkpointed', async () => {
    const strategy = create(2);
    // Step 0: eps = [0.8] so L / eps = 1, not violated -> [1, 0].
    expect(await step(strategy, [1, 0.8], 0)).toEqual([1, 0]);
    // Step 1: L = 1 > 0.8: 0 + 10 (1 / 0.8 - 1) = 2.5; raw [1, 2.5] -> [1/3.5, 2.5/3.5].
    expectClose(await step(strategy, [1, 1], 1), [1 / 3.5, 2.5 / 3.5]);
    const saved = JSON.parse(JSON.stringify(strategy.state()));
    expect(saved.epsilon).toEqual([Math.fround(0.8)]);
    const resumed = create(2);
    resumed.loadState(saved);
    expect(await step(resumed, [1, 1.2], 2)).toEqual(await step(strategy, [1, 1.2], 2));
  });

  it('validates epsilon against the task count when created, naming the config path', () => {
    const attempt = () => create(3, { epsilon: [1, 2, 3] });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      'strategy.options.epsilon: expected 2 numbers, one per auxiliary task (click, dwell), got 3',
    );
    expect(() => create(4, { epsilon: [1] })).toThrow(
      'expected 3 numbers, one per auxiliary task (click, dwell, quality), got 1',
    );
    expect(() => create(2, { mainTask: 2 })).toThrow(
      'strategy.options.mainTask: expected a task index in [0, 1] (tasks: relevance, click), got 2',
    );
  });

  it('refuses a non-positive first loss as a default bound, and a foreign state', async () => {
    await expect(step(create(2), [1, -0.5])).rejects.toThrow(UserError);
    await expect(step(create(2), [1, 0])).rejects.toThrow(
      "ec: without strategy.options.epsilon the bound of task 'click' is its first loss, but that is 0 (step 0)",
    );
    expect(() => create(3).loadState({ auxiliaryWeights: [1], epsilon: null })).toThrow(
      'ec: cannot resume from strategy state',
    );
  });
});
