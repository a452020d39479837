import { ConfigError, createStrategy, UserError } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import plugin, { type WcOptions } from './index.js';

describeStrategyConformance(plugin, {
  invalidOptions: [
    { options: { ideal: 'zero' }, message: 'strategy.options.ideal' },
    { options: { ideal: [] }, message: 'strategy.options.ideal' },
    { options: { ideal: [0, Number.POSITIVE_INFINITY] }, message: 'strategy.options.ideal[1]' },
    { options: { mu: 1 }, message: 'Unrecognized key: "mu"' },
  ],
});

const names = ['relevance', 'click', 'dwell'];

async function combine(preference: number[], losses: number[], options: WcOptions = {}, step = 0) {
  const strategy = createStrategy(plugin, { taskNames: names.slice(0, losses.length), preference, options });
  const out = await strategy.combine({ step, epoch: 0, losses: Float32Array.from(losses) });
  return { weights: Array.from(out.weights), diagnostics: out.diagnostics };
}

describe('weighted Chebyshev', () => {
  it('puts weight 1 on argmax_i r_i L_i (hand-computed)', async () => {
    // r = [1, 3] / 4 = [0.25, 0.75]; L = [2, 0.5]: r * L = [0.5, 0.375] -> task 0
    expect(await combine([1, 3], [2, 0.5])).toEqual({ weights: [1, 0], diagnostics: { active_task: 0 } });
    // L = [1, 0.5]: r * L = [0.25, 0.375] -> task 1
    expect(await combine([1, 3], [1, 0.5])).toEqual({ weights: [0, 1], diagnostics: { active_task: 1 } });
    // the largest loss is not necessarily the active task: r = [0.1, 0.9], L = [5, 1]: [0.5, 0.9] -> task 1
    expect((await combine([0.1, 0.9], [5, 1])).weights).toEqual([0, 1]);
  });

  it('breaks ties by the lowest index (the reference puts 1 on every tied task)', async () => {
    // r = [0.5, 0.5], L = [1, 1]: [0.5, 0.5] tie -> task 0 only
    expect((await combine([1, 1], [1, 1])).weights).toEqual([1, 0]);
    // r = 1/3 each, L = [0.5, 2, 2]: [1/6, 2/3, 2/3] -> task 1, not task 2
    expect((await combine([1, 1, 1], [0.5, 2, 2])).weights).toEqual([0, 1, 0]);
  });

  it('measures deviations from the ideal point when one is given', async () => {
    // r = [0.5, 0.5], L = [1, 2]: without z, [0.5, 1] -> task 1;
    // with z = [0, 1.5]: [0.5 * 1, 0.5 * 0.5] = [0.5, 0.25] -> task 0
    expect((await combine([1, 1], [1, 2])).weights).toEqual([0, 1]);
    expect((await combine([1, 1], [1, 2], { ideal: [0, 1.5] })).weights).toEqual([1, 0]);
  });

  it('ignores a task whose preference is 0 while another deviation is positive', async () => {
    // r = [0, 1], L = [100, 0.25]: [0, 0.25] -> task 1
    expect((await combine([0, 1], [100, 0.25])).weights).toEqual([0, 1]);
  });

  it('refuses an ideal point of the wrong length', () => {
    const create = () =>
      createStrategy(plugin, { taskNames: names, preference: [1, 1, 1], options: { ideal: [0, 0] } });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow('strategy.options.ideal: expected 3 numbers (one per task), got 2');
  });

  it('refuses a non-finite loss naming the task and step', async () => {
    await expect(combine([1, 1], [1, Number.NaN], {}, 12)).rejects.toThrow(UserError);
    await expect(combine([1, 1], [1, Number.NaN], {}, 12)).rejects.toThrow(
      "wc: the loss of task 'click' is NaN at step 12; weighted Chebyshev needs finite losses",
    );
  });
});
