import { CONTRACT_VERSION, defineStrategy, type Json, type Strategy, UserError } from '@mtl2r/core';
import { softmax } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { columnMeans, lossRatios } from './loss-ratios.js';
import { referenceWindowDwa } from './reference-window.js';

export const dwaOptions = z.strictObject({
  /**
   * 'epoch' (the paper): ratios of the last two epochs' mean training losses, uniform for the first two
   * epochs. 'window' (the DeepMTL2R reference code): ratios of the mean losses of the last `window`
   * steps and the `window` steps before them.
   */
  mode: z.enum(['epoch', 'window']).default('epoch'),
  /** Softmax temperature T; larger is closer to uniform (the paper uses 2). */
  temperature: z.number().positive().default(2),
  /** Steps per window in 'window' mode (the reference uses 25). */
  window: z.number().int().positive().max(100_000).default(25),
  /**
   * 'deepmtl2r': DeepMTL2R's code, whatever `mode` says: window mode with a buffer that starts filled with
   * 1s, the first update after `window` + 1 steps, and the weights divided by K (its loss is a mean).
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type DwaOptions = z.infer<typeof dwaOptions>;

/** K softmax(w / T): the paper's weights, summing to K. */
function dwaWeights(ratios: readonly number[], temperature: number): number[] {
  return Array.from(softmax(ratios, temperature), (p) => ratios.length * p);
}

function readHistory(state: Json, taskCount: number, capacity: number): number[][] {
  const history = (state as { history?: unknown } | null)?.history;
  const ok =
    Array.isArray(history) &&
    history.length <= capacity &&
    history.every(
      (row) =>
        Array.isArray(row) &&
        row.length === taskCount &&
        row.every((v) => typeof v === 'number' && Number.isFinite(v)),
    );
  if (!ok) {
    throw new UserError(
      `dwa: cannot resume from strategy state ${JSON.stringify(state)}; expected { "history": at most ${capacity} lists of ${taskCount} finite numbers }`,
      {
        hint: 'the checkpoint was not written by @mtl2r/strategy-dwa with this mode, window and number of tasks, or it was edited',
      },
    );
  }
  return (history as number[][]).map((row) => row.slice());
}

/**
 * Dynamic weight average (Liu, Johns & Davison 2019, MTAN): lambda_i = K softmax(w / T)_i with
 * w_i = L_i(t-1) / L_i(t-2), so a task whose loss falls more slowly gets more weight. The weights sum to K
 * (as in the paper), not to 1.
 */
export const dwaPlugin = defineStrategy<DwaOptions>({
  id: 'dwa',
  contractVersion: CONTRACT_VERSION,
  family: 'weighting',
  paretoFront: false,
  needs: { grads: 'none' },
  description: 'Dynamic weight average: K softmax of the ratios of recent task losses over temperature',
  packageName: packageJson.name,
  options: dwaOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    if (options.compat === 'deepmtl2r')
      return referenceWindowDwa(taskCount, options.window, options.temperature);
    const windowMode = options.mode === 'window';
    // Epoch mode keeps the last two epochs' means; window mode the last two windows of step losses.
    const capacity = windowMode ? 2 * options.window : 2;
    let history: number[][] = [];
    const remember = (losses: ArrayLike<number>) => {
      history.push(Array.from(losses));
      if (history.length > capacity) history.shift();
    };
    const uniform = () => new Array<number>(taskCount).fill(1);
    return {
      needs: { grads: 'none' },
      combine({ losses }) {
        if (!windowMode) {
          if (history.length < 2) return { weights: uniform() };
          return {
            weights: dwaWeights(
              lossRatios(history[1] as number[], history[0] as number[]),
              options.temperature,
            ),
          };
        }
        // As the reference, this step's losses are part of the newer window.
        remember(losses);
        if (history.length < capacity) return { weights: uniform() };
        const older = columnMeans(history.slice(0, options.window));
        const newer = columnMeans(history.slice(options.window));
        return { weights: dwaWeights(lossRatios(newer, older), options.temperature) };
      },
      onEpochEnd({ trainLosses }) {
        if (!windowMode) remember(trainLosses);
      },
      state: (): Json => ({ history: history.map((row) => row.slice()) }),
      loadState(state) {
        history = readHistory(state, taskCount, capacity);
      },
      dispose: () => {},
    };
  },
});
