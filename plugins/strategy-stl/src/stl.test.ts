import { ConfigError, createStrategy } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import plugin, { type StlOptions } from './index.js';

describeStrategyConformance(plugin, {
  // STL refuses a preference that is not one-hot: give it the last task's row, as a sweep does.
  preference: (k) => Array.from({ length: k }, (_, i) => (i === k - 1 ? 1 : 0)),
  validOptions: [{ task: 0 }, { task: 'relevance' }],
  invalidOptions: [
    { options: { task: -1 }, message: 'strategy.options.task' },
    { options: { task: 1.5 }, message: 'strategy.options.task' },
    { options: { task: '' }, message: 'strategy.options.task' },
    { options: { mu: 1 }, message: 'Unrecognized key: "mu"' },
  ],
});

const tasks = ['relevance', 'click', 'dwell'];

async function weightsOf(options: StlOptions, preference?: number[]): Promise<number[]> {
  const strategy = createStrategy(plugin, { taskNames: tasks, options, preference });
  const out = await strategy.combine({ step: 0, epoch: 0, losses: Float32Array.from([0.3, 2, 7]) });
  return Array.from(out.weights);
}

describe('single-task learning', () => {
  it('a one-hot preference picks the task; weights are e_k whatever the losses', async () => {
    expect(await weightsOf({}, [0, 1, 0])).toEqual([0, 1, 0]);
    // [0, 0, 5] normalises to [0, 0, 1]
    expect(await weightsOf({}, [0, 0, 5])).toEqual([0, 0, 1]);
    const strategy = createStrategy(plugin, { taskNames: tasks, preference: [1, 0, 0] });
    for (const losses of [
      [1, 2, 3],
      [100, 0.001, 5],
    ]) {
      const out = await strategy.combine({ step: 3, epoch: 1, losses: Float32Array.from(losses) });
      expect(Array.from(out.weights)).toEqual([1, 0, 0]);
    }
  });

  it('options.task picks the task by index or by name when no preference is given', async () => {
    expect(await weightsOf({ task: 2 })).toEqual([0, 0, 1]);
    expect(await weightsOf({ task: 'click' })).toEqual([0, 1, 0]);
  });

  it('options.task agrees with a one-hot preference on the same task', async () => {
    expect(await weightsOf({ task: 'dwell' }, [0, 0, 1])).toEqual([0, 0, 1]);
  });

  it('a single task needs neither: the uniform default [1] is one-hot', async () => {
    const strategy = createStrategy(plugin, { taskNames: ['relevance'] });
    const out = await strategy.combine({ step: 0, epoch: 0, losses: Float32Array.from([0.4]) });
    expect(Array.from(out.weights)).toEqual([1]);
  });

  it('refuses the uniform default without options.task, saying what to give', () => {
    const create = () => createStrategy(plugin, { taskNames: ['relevance', 'click'] });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(
      'strategy.preference: stl trains a single task and needs a one-hot preference such as [1, 0], got [0.5, 0.5] (the uniform default when none is given)',
    );
  });

  it('refuses a preference that is not one-hot', () => {
    // [1, 3, 0] normalises to [0.25, 0.75, 0]: two positive entries
    expect(() => createStrategy(plugin, { taskNames: tasks, preference: [1, 3, 0] })).toThrow(
      'strategy.preference: stl trains a single task and needs a one-hot preference such as [1, 0, 0], got [0.25, 0.75, 0]',
    );
    expect(() =>
      createStrategy(plugin, { taskNames: tasks, options: { task: 0 }, preference: [1, 3, 0] }),
    ).toThrow('the preference [0.25, 0.75, 0] is not one-hot (remove it when options.task is given)');
  });

  it('refuses options.task that contradicts the one-hot preference', () => {
    expect(() =>
      createStrategy(plugin, { taskNames: tasks, options: { task: 'relevance' }, preference: [0, 1, 0] }),
    ).toThrow(
      "options.task selects task 0 ('relevance') but the one-hot preference [0, 1, 0] selects task 1 ('click')",
    );
  });

  it('refuses an unknown task name or an index out of range', () => {
    expect(() => createStrategy(plugin, { taskNames: tasks, options: { task: 'quality' } })).toThrow(
      "strategy.options.task: unknown task 'quality'; the tasks are 'relevance', 'click', 'dwell'",
    );
    expect(() => createStrategy(plugin, { taskNames: tasks, options: { task: 3 } })).toThrow(
      'strategy.options.task: task index 3 is out of range: there are 3 tasks (0..2)',
    );
  });

  it('rejects a bad option type naming the config path', () => {
    expect(() => createStrategy(plugin, { taskNames: tasks, options: { task: -1 } })).toThrow(
      /strategy\.options\.task/,
    );
  });
});
