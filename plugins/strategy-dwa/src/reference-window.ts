import { type Json, type Strategy, UserError } from '@mtl2r/core';
import { softmax } from '@mtl2r/solvers';
import { columnMeans, lossRatios } from './loss-ratios.js';

interface ReferenceWindowState {
  /** The last 2 * window loss vectors, oldest first; placeholder 1s until that many steps have run. */
  costs: number[][];
  /** Steps run so far. */
  iterations: number;
  /** The weights of the last update (summing to K); 1s before the first. */
  weights: number[];
}

function readState(state: Json, taskCount: number, window: number): ReferenceWindowState {
  const s = state as Partial<Record<keyof ReferenceWindowState, unknown>> | null;
  const isRow = (row: unknown) =>
    Array.isArray(row) &&
    row.length === taskCount &&
    row.every((v) => typeof v === 'number' && Number.isFinite(v));
  const ok =
    Array.isArray(s?.costs) &&
    s.costs.length === 2 * window &&
    s.costs.every(isRow) &&
    Number.isInteger(s?.iterations) &&
    (s?.iterations as number) >= 0 &&
    isRow(s?.weights);
  if (!ok) {
    throw new UserError(
      `dwa: cannot resume from strategy state ${JSON.stringify(state)}; expected { "costs": ${2 * window} lists of ${taskCount} finite numbers, "iterations": an integer >= 0, "weights": ${taskCount} finite numbers } (compat 'deepmtl2r')`,
      {
        hint: 'the checkpoint was not written by @mtl2r/strategy-dwa with compat deepmtl2r, this window and number of tasks, or it was edited',
      },
    );
  }
  const valid = s as ReferenceWindowState;
  return {
    costs: valid.costs.map((row) => row.slice()),
    iterations: valid.iterations,
    weights: valid.weights.slice(),
  };
}

/**
 * DWA as DeepMTL2R's code computes it (compat 'deepmtl2r'): a first-in first-out buffer of the last
 * 2 * window step losses that starts filled with 1s; once more than `window` steps have run, the weights
 * become K softmax(w / T) with w the ratio of the newer half's mean to the older half's mean (so for a while
 * the older half still averages placeholder 1s); the loss is the mean of the weighted losses, so the
 * effective weights are those divided by K. Before the first update they are 1 / K each.
 */
export function referenceWindowDwa(taskCount: number, window: number, temperature: number): Strategy {
  let state: ReferenceWindowState = {
    costs: Array.from({ length: 2 * window }, () => new Array<number>(taskCount).fill(1)),
    iterations: 0,
    weights: new Array<number>(taskCount).fill(1),
  };
  return {
    needs: { grads: 'none' },
    combine({ losses }) {
      state.costs.shift();
      state.costs.push(Array.from(losses));
      if (state.iterations > window) {
        const ratios = lossRatios(
          columnMeans(state.costs.slice(window)),
          columnMeans(state.costs.slice(0, window)),
        );
        state.weights = Array.from(softmax(ratios, temperature), (p) => taskCount * p);
      }
      state.iterations += 1;
      return { weights: state.weights.map((w) => w / taskCount) };
    },
    state: (): Json => ({
      costs: state.costs.map((row) => row.slice()),
      iterations: state.iterations,
      weights: state.weights.slice(),
    }),
    loadState(saved) {
      state = readState(saved, taskCount, window);
    },
    dispose: () => {},
  };
}
