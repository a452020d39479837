import {
  CONTRACT_VERSION,
  ConfigError,
  defineStrategy,
  preferenceWeights,
  type Strategy,
  type StrategyContext,
} from '@mtl2r/core';
import { oneHot } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const stlOptions = z.strictObject({
  /** The task to train, by index or by name; an alternative to a one-hot preference. */
  task: z.union([z.number().int().nonnegative(), z.string().min(1)]).optional(),
  /**
   * 'deepmtl2r': DeepMTL2R's STL, which is its linear scalarization: the preference is used as written,
   * one-hot or not (all 1s when none is given). With `task`, the one-hot row of that task.
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type StlOptions = z.infer<typeof stlOptions>;

const WHAT = "strategy 'stl'";

function formatVector(values: readonly number[]): string {
  return `[${values.map((v) => Number(v.toPrecision(6))).join(', ')}]`;
}

function taskIndexFromOption(task: number | string, context: StrategyContext): number {
  if (typeof task === 'number') {
    if (task < context.taskCount) return task;
    throw new ConfigError(WHAT, [
      {
        path: 'strategy.options.task',
        message: `task index ${task} is out of range: there are ${context.taskCount} tasks (0..${context.taskCount - 1})`,
      },
    ]);
  }
  const index = context.taskNames.indexOf(task);
  if (index >= 0) return index;
  throw new ConfigError(WHAT, [
    {
      path: 'strategy.options.task',
      message: `unknown task '${task}'; the tasks are ${context.taskNames.map((n) => `'${n}'`).join(', ')}`,
    },
  ]);
}

/**
 * Which task STL trains. A one-hot preference picks it; so does `options.task`. The core turns a missing
 * preference into the uniform one, so a uniform preference counts as "not given": it is refused without
 * `options.task` (for K > 1) and ignored with it. Anything else that is not one-hot is refused, because
 * silently training one task of a mixed preference would mislabel a sweep's results.
 */
function resolveSingleTask(options: StlOptions, context: StrategyContext): number {
  const preference =
    context.preference ?? Array.from({ length: context.taskCount }, () => 1 / context.taskCount);
  const positive = preference.flatMap((value, i) => (value > 0 ? [i] : []));
  const oneHotTask = positive.length === 1 ? positive[0] : undefined;
  const uniform = preference.every((value) => value === preference[0]);

  if (options.task === undefined) {
    if (oneHotTask !== undefined) return oneHotTask;
    throw new ConfigError(
      WHAT,
      [
        {
          path: 'strategy.preference',
          message: `stl trains a single task and needs a one-hot preference such as ${formatVector(
            preference.map((_, i) => (i === 0 ? 1 : 0)),
          )}, got ${formatVector(preference)}${uniform ? ' (the uniform default when none is given)' : ''}`,
        },
      ],
      {
        hint: "give a one-hot preference, or name the task with strategy.options.task (e.g. task: 'relevance')",
      },
    );
  }

  const task = taskIndexFromOption(options.task, context);
  if (oneHotTask !== undefined && oneHotTask !== task) {
    throw new ConfigError(WHAT, [
      {
        path: 'strategy.options.task',
        message: `options.task selects task ${task} ('${context.taskNames[task]}') but the one-hot preference ${formatVector(preference)} selects task ${oneHotTask} ('${context.taskNames[oneHotTask]}'); give only one of them`,
      },
    ]);
  }
  if (oneHotTask === undefined && !uniform) {
    throw new ConfigError(WHAT, [
      {
        path: 'strategy.preference',
        message: `stl trains a single task; the preference ${formatVector(preference)} is not one-hot (remove it when options.task is given)`,
      },
    ]);
  }
  return task;
}

/**
 * Single-task learning: the weights are e_k, so the shared trunk and head k follow task k's loss only
 * and the other heads get no gradient. With one run per task it gives the single-task baselines that
 * delta_m is measured against (the rows of the identity as preferences).
 */
export const stlPlugin = defineStrategy<StlOptions>({
  id: 'stl',
  contractVersion: CONTRACT_VERSION,
  family: 'scalarization',
  paretoFront: true,
  needs: { grads: 'none', preference: true },
  // Not declared weightsSumToOne: one-hot by default, the preference as written under compat 'deepmtl2r'.
  description: 'Single-task learning: train the one task picked by a one-hot preference or options.task',
  packageName: packageJson.name,
  options: stlOptions,
  create(options, context): Strategy {
    const weights: readonly number[] =
      options.compat === 'deepmtl2r' && options.task === undefined
        ? preferenceWeights(context, 'deepmtl2r')
        : Array.from(oneHot(context.taskCount, resolveSingleTask(options, context)));
    return {
      needs: { grads: 'none', preference: true },
      combine: () => ({ weights }),
      state: () => null, // stateless: the task comes from the config
      loadState: () => {},
      dispose: () => {},
    };
  },
});
