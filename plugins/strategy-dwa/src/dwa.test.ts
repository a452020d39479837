import { createStrategy, type Strategy, UserError } from '@mtl2r/core';
import { type ConformanceCases, describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import plugin, { type DwaOptions } from './index.js';

const cases: ConformanceCases<DwaOptions> = {
  validOptions: [{ mode: 'window', window: 2 }],
  invalidOptions: [
    { options: { mode: 'step' }, message: 'strategy.options.mode' },
    { options: { temperature: 0 }, message: 'strategy.options.temperature' },
    { options: { window: 0 }, message: 'strategy.options.window' },
    { options: { window: 1.5 }, message: 'strategy.options.window' },
  ],
};
describeStrategyConformance(plugin, cases);
// Window mode (window 2, so the 12-step checks get past the uniform start) through the contract too.
describeStrategyConformance(plugin, { ...cases, options: { mode: 'window', window: 2 } });
describeStrategyConformance(plugin, { ...cases, options: { compat: 'deepmtl2r', window: 2 } });

function create(taskCount: number, options: Partial<DwaOptions> = {}): Strategy {
  return createStrategy(plugin, {
    taskNames: Array.from({ length: taskCount }, (_, i) => `task${i}`),
    options,
  });
}

async function weightsAt(
  strategy: Strategy,
  step: number,
  epoch: number,
  losses: number[],
): Promise<number[]> {
  return Array.from((await strategy.combine({ step, epoch, losses: Float32Array.from(losses) })).weights);
}

function expectClose(actual: number[], expected: number[]): void {
  actual.forEach((value, i) => {
    expect(value).toBeCloseTo(expected[i] as number, 6);
  });
}

describe('dwa, epoch mode (the paper)', () => {
  it('uniform weights (1 each) until two epochs have ended, then K softmax(L(t-1) / L(t-2) / T)', async () => {
    const strategy = create(2);
    expect(await weightsAt(strategy, 0, 0, [1, 1])).toEqual([1, 1]);
    strategy.onEpochEnd?.({ epoch: 0, trainLosses: Float32Array.of(1, 1) });
    expect(await weightsAt(strategy, 1, 1, [0.7, 1])).toEqual([1, 1]);
    strategy.onEpochEnd?.({ epoch: 1, trainLosses: Float32Array.of(0.5, 1) });
    // w = [0.5 / 1, 1 / 1] = [0.5, 1]; T = 2: 2 softmax([0.25, 0.5]) = [0.875647, 1.124353]:
    // the task whose loss fell (relevance) gets less weight than the one that stalled.
    const weights = await weightsAt(strategy, 2, 2, [0.3, 1]);
    expectClose(weights, [0.875647, 1.124353]);
    // The step losses do not enter in epoch mode: same weights whatever they are.
    expect(await weightsAt(strategy, 3, 2, [9, 0.1])).toEqual(weights);
    // Epoch 2 ends: w = [0.25 / 0.5, 1.5 / 1] = [0.5, 1.5]; T = 2: 2 / (1 + exp(0.5)) = 0.754638.
    strategy.onEpochEnd?.({ epoch: 2, trainLosses: Float32Array.of(0.25, 1.5) });
    expectClose(await weightsAt(strategy, 4, 3, [1, 1]), [2 / (1 + Math.exp(0.5)), 2 / (1 + Math.exp(-0.5))]);
  });

  it('the weights sum to K, not 1', async () => {
    const strategy = create(3, { temperature: 1 });
    strategy.onEpochEnd?.({ epoch: 0, trainLosses: Float32Array.of(1, 1, 1) });
    strategy.onEpochEnd?.({ epoch: 1, trainLosses: Float32Array.of(1, 2, 3) });
    // w = [1, 2, 3], T = 1: 3 e^w / (e + e^2 + e^3) = [0.270092, 0.734185, 1.995723]
    const weights = await weightsAt(strategy, 0, 2, [1, 1, 1]);
    expectClose(weights, [0.270092, 0.734185, 1.995723]);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(3, 10);
  });
});

describe('dwa, window mode (the reference code)', () => {
  it('ratios of the mean losses of the last window and the window before, this step included', async () => {
    const strategy = create(2, { mode: 'window', window: 2 });
    // Steps 0-2: fewer than 2 windows of losses -> 1 each.
    expect(await weightsAt(strategy, 0, 0, [1, 2])).toEqual([1, 1]);
    expect(await weightsAt(strategy, 1, 0, [3, 2])).toEqual([1, 1]);
    expect(await weightsAt(strategy, 2, 0, [1, 1])).toEqual([1, 1]);
    // Step 3: older = mean([1, 2], [3, 2]) = [2, 2]; newer = mean([1, 1], [1, 3]) = [1, 2];
    //   w = [0.5, 1] -> [0.875647, 1.124353] (T = 2).
    expectClose(await weightsAt(strategy, 3, 0, [1, 3]), [0.875647, 1.124353]);
    // Step 4: older = mean([3, 2], [1, 1]) = [2, 1.5]; newer = mean([1, 3], [2, 1]) = [1.5, 2];
    //   w = [0.75, 4/3]; w / T = [0.375, 0.666667]; 2 / (1 + exp(0.291667)) = 0.855192.
    expectClose(await weightsAt(strategy, 4, 0, [2, 1]), [0.855192, 1.144808]);
    // Epoch ends do not enter in window mode.
    strategy.onEpochEnd?.({ epoch: 0, trainLosses: Float32Array.of(100, 0.01) });
    expect((strategy.state() as { history: number[][] }).history).toEqual([
      [3, 2],
      [1, 1],
      [1, 3],
      [2, 1],
    ]);
  });

  it('resumes from state() on a fresh instance with the same history', async () => {
    const original = create(3, { mode: 'window', window: 3 });
    const losses = (step: number) => [1 / (1 + step), 2 - 0.1 * step, 0.5 + 0.05 * step];
    for (let step = 0; step < 8; step++) await weightsAt(original, step, 0, losses(step));
    const resumed = create(3, { mode: 'window', window: 3 });
    resumed.loadState(JSON.parse(JSON.stringify(original.state())));
    for (let step = 8; step < 12; step++) {
      expect(await weightsAt(resumed, step, 0, losses(step))).toEqual(
        await weightsAt(original, step, 0, losses(step)),
      );
    }
  });

  it('refuses a state that does not fit its mode and task count', () => {
    const strategy = create(2, { mode: 'window', window: 1 });
    expect(() =>
      strategy.loadState({
        history: [
          [1, 1],
          [1, 1],
          [1, 1],
        ],
      }),
    ).toThrow(UserError);
    expect(() => strategy.loadState({ history: [[1, 1, 1]] })).toThrow(
      'dwa: cannot resume from strategy state {"history":[[1,1,1]]}; expected { "history": at most 2 lists of 2 finite numbers }',
    );
  });
});
