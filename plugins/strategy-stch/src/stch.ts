import {
  CONTRACT_VERSION,
  type CombineOutput,
  defineStrategy,
  type Json,
  PluginError,
  type Strategy,
} from '@mtl2r/core';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const stchOptions = z.strictObject({
  /** Smoothing mu of the log-sum-exp (mu -> 0: the Tchebycheff max; the authors' default 1). */
  mu: z.number().positive().default(1),
  /**
   * Epochs of plain log-loss training before STCH; the nadir point is the mean loss over the last of them
   * (epoch index `warmupEpochs`), and STCH starts the epoch after. The authors' MTL default is 4.
   */
  warmupEpochs: z.number().int().nonnegative().default(4),
});
export type StchOptions = z.infer<typeof stchOptions>;

const OWNER = packageJson.name;

interface StchState {
  nadirSum: number[] | null;
  nadirCount: number;
  nadir: number[] | null;
}

/**
 * Smooth Tchebycheff scalarization (Lin et al., ICML 2024) with the authors' MTL recipe: the tasks first
 * train on sum_i ln L_i; over epoch `warmupEpochs` the mean losses are collected as the nadir point z;
 * afterwards the objective is K mu ln sum_i exp(lambda_i ln(L_i / z_i) / mu), lambda_i = K r_i (r the
 * preference, uniform by default, so lambda = 1 as in the authors' code). `combine` returns the objective's
 * gradient with respect to the losses as the task weights.
 */
export const stchPlugin = defineStrategy<StchOptions>({
  id: 'stch',
  contractVersion: CONTRACT_VERSION,
  family: 'scalarization',
  paretoFront: true,
  needs: { grads: 'none', preference: true, positiveLosses: true },
  description: 'Smooth Tchebycheff scalarization of log losses relative to a nadir point found in a warm-up',
  packageName: OWNER,
  options: stchOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    const lambda = (context.preference ?? new Array<number>(taskCount).fill(1 / taskCount)).map(
      (r) => r * taskCount,
    );
    let state: StchState = { nadirSum: null, nadirCount: 0, nadir: null };
    return {
      needs: { grads: 'none', preference: true, positiveLosses: true },
      combine({ epoch, losses }): CombineOutput {
        const values = Array.from(losses);
        if (epoch <= options.warmupEpochs) {
          if (epoch === options.warmupEpochs) {
            state.nadirSum = values.map((l, i) => l + (state.nadirSum?.[i] ?? 0));
            state.nadirCount++;
          }
          // d/dL_i of sum ln(L_i + 1e-20)
          return { weights: values.map((l) => 1 / (l + 1e-20)), diagnostics: { phase: 0 } };
        }
        if (state.nadir === null) {
          if (state.nadirSum === null || state.nadirCount === 0) {
            throw new PluginError(
              `stch: no nadir point was collected (training resumed after epoch ${options.warmupEpochs} without the warm-up's state?)`,
            );
          }
          state.nadir = state.nadirSum.map((sum) => sum / state.nadirCount);
        }
        const nadir = state.nadir;
        const scaled = values.map(
          (l, i) => ((lambda[i] as number) * Math.log(l / (nadir[i] as number) + 1e-20)) / options.mu,
        );
        const top = Math.max(...scaled);
        const exps = scaled.map((s) => Math.exp(s - top));
        const total = exps.reduce((a, b) => a + b, 0);
        // d/dL_i of K mu ln sum_j exp(lambda_j ln(L_j / z_j + 1e-20) / mu)
        const weights = values.map(
          (l, i) =>
            (taskCount * (exps[i] as number) * (lambda[i] as number)) /
            total /
            (l + 1e-20 * (nadir[i] as number)),
        );
        return { weights, diagnostics: { phase: 1, max_task: scaled.indexOf(top) } };
      },
      state: (): Json => ({ ...state }),
      loadState(saved) {
        const s = saved as Partial<StchState> | null;
        if (s === null || typeof s !== 'object' || typeof s.nadirCount !== 'number') {
          throw new PluginError(`${OWNER}: saved state is not an stch state`);
        }
        state = { nadirSum: s.nadirSum ?? null, nadirCount: s.nadirCount, nadir: s.nadir ?? null };
      },
      dispose: () => {},
    };
  },
});
