import { CONTRACT_VERSION, defineStrategy, type Json, type Strategy, UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const uwOptions = z.strictObject({
  /**
   * The log-variances s_i = log sigma_i^2 before training. 0 (sigma = 1) as Kendall et al.'s code and
   * DeepMTL2R; LibMTL starts at -0.5.
   */
  initialLogVariance: z.number().finite().default(0),
  /**
   * 'deepmtl2r': DeepMTL2R's training loop, which never hands the log-variances to an optimizer: they stay
   * at `initialLogVariance`, so the weights are the constant 0.5 exp(-s_0).
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type UwOptions = z.infer<typeof uwOptions>;

function readLogVariances(state: Json, taskCount: number): Float32Array {
  const values = (state as { logVariance?: unknown } | null)?.logVariance;
  if (
    !Array.isArray(values) ||
    values.length !== taskCount ||
    !values.every((v) => typeof v === 'number' && Number.isFinite(v))
  ) {
    throw new UserError(
      `uw: cannot resume from strategy state ${JSON.stringify(state)}; expected { "logVariance": [${taskCount} finite numbers] }`,
      {
        hint: 'the checkpoint was not written by @mtl2r/strategy-uw for this number of tasks, or it was edited',
      },
    );
  }
  return Float32Array.from(values as number[]);
}

/**
 * Uncertainty weighting (Kendall, Gal & Cipolla 2018): minimise sum_i 0.5 (exp(-s_i) L_i + s_i) jointly
 * over the model and the log-variances s_i = log sigma_i^2. The model's gradient is that of
 * sum_i 0.5 exp(-s_i) L_i, so the weights are 0.5 exp(-s_i); s is a trainable variable the trainer's
 * optimizer updates by the gradient of `variableObjective`, 0.5 (1 - exp(-s_i) L_i), whose zero is
 * s_i = ln L_i: noisy (high-loss) tasks are down-weighted, and the + s_i term keeps s from running off.
 */
export const uwPlugin = defineStrategy<UwOptions>({
  id: 'uw',
  contractVersion: CONTRACT_VERSION,
  family: 'weighting',
  paretoFront: false,
  needs: { grads: 'none' },
  description: 'Uncertainty weighting: trainable log-variances s, weights 0.5 exp(-s)',
  packageName: packageJson.name,
  options: uwOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    if (options.compat === 'deepmtl2r') return fixedLogVariances(taskCount, options.initialLogVariance);
    const logVariance = tf.tidy(() => tf.variable(tf.fill([taskCount], options.initialLogVariance), true));
    let disposed = false;
    return {
      needs: { grads: 'none' },
      combine() {
        const s = logVariance.dataSync();
        return { weights: Array.from(s, (value) => 0.5 * Math.exp(-value)) };
      },
      trainableVariables: () => [logVariance],
      variableObjective(losses) {
        if (losses.shape[0] !== taskCount) {
          throw new RangeError(
            `uw: variableObjective expects ${taskCount} losses, got shape [${losses.shape.join(', ')}]`,
          );
        }
        return tf.tidy(() =>
          tf.mul(0.5, tf.sum(tf.add(tf.mul(tf.exp(tf.neg(logVariance)), losses), logVariance))),
        );
      },
      state: (): Json => ({ logVariance: Array.from(logVariance.dataSync()) }),
      loadState(state) {
        const values = readLogVariances(state, taskCount);
        tf.tidy(() => logVariance.assign(tf.tensor1d(values)));
      },
      dispose() {
        if (disposed) return;
        disposed = true;
        logVariance.dispose();
      },
    };
  },
});

/** The reference's behaviour: log-variances that never move, so constant weights 0.5 exp(-s_0). */
function fixedLogVariances(taskCount: number, initial: number): Strategy {
  let logVariance = new Array<number>(taskCount).fill(initial);
  return {
    needs: { grads: 'none' },
    combine: () => ({ weights: logVariance.map((value) => 0.5 * Math.exp(-value)) }),
    state: (): Json => ({ logVariance: logVariance.slice() }),
    loadState(state) {
      logVariance = Array.from(readLogVariances(state, taskCount));
    },
    dispose: () => {},
  };
}
