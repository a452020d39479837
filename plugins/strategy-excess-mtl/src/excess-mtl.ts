import {
  CONTRACT_VERSION,
  decodeFloat32,
  defineStrategy,
  encodeFloat32,
  type Json,
  PluginError,
  type Strategy,
  UserError,
} from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const excessMtlOptions = z.strictObject({
  /** Step size of the multiplicative (exponentiated-gradient) weight update; the authors' default 1e-2. */
  robustStepSize: z.number().positive().max(100).default(0.01),
});
export type ExcessMtlOptions = z.infer<typeof excessMtlOptions>;

const OWNER = packageJson.name;

interface SavedState {
  lossWeights: number[];
  initial: number[] | null;
  accumulator: string | null;
  parameterCount: number;
}

/**
 * ExcessMTL (He et al., ICML 2024): each task's excess risk is estimated by a diagonal second-order
 * approximation, e_i = g_i^T diag(H_i)^(-1) g_i with AdaGrad's accumulated squared gradients as H_i, relative
 * to its value at the first step; the task weights follow an exponentiated-gradient ascent on the excess
 * risks, w <- w exp(eta e / e_0), renormalised to sum K. The accumulator is [K, P] and lives on the backend;
 * it is checkpointed bit-exactly (base64 float32).
 */
export const excessMtlPlugin = defineStrategy<ExcessMtlOptions>({
  id: 'excess_mtl',
  contractVersion: CONTRACT_VERSION,
  family: 'weighting',
  paretoFront: false,
  needs: { grads: 'shared' },
  description: "ExcessMTL: task weights from the tasks' excess risk, estimated from AdaGrad statistics",
  packageName: OWNER,
  options: excessMtlOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    let lossWeights = new Array<number>(taskCount).fill(1);
    let initial: number[] | null = null;
    let accumulator: tf.Tensor2D | null = null;
    return {
      needs: { grads: 'shared' },
      combine({ grads }) {
        if (grads === undefined)
          throw new UserError(
            'excess_mtl needs the per-task gradients of the shared parameters (needs.grads = shared)',
          );
        const next = tf.tidy(() => {
          const squared = tf.square(grads);
          return (accumulator === null ? squared : tf.add(accumulator, squared)) as tf.Tensor2D;
        });
        accumulator?.dispose();
        accumulator = next;
        const risks = tf.tidy(() => tf.sum(tf.div(tf.square(grads), tf.sqrt(tf.add(next, 1e-7))), 1));
        const excess = Array.from(risks.dataSync() as Float32Array);
        risks.dispose();
        if (initial === null) {
          initial = excess;
        } else {
          const base = initial;
          const grown = lossWeights.map(
            (w, i) => w * Math.exp(((excess[i] as number) / (base[i] as number)) * options.robustStepSize),
          );
          const total = grown.reduce((a, b) => a + b, 0);
          lossWeights = grown.map((w) => (w / total) * taskCount);
        }
        const diagnostics: Record<string, number> = {};
        excess.forEach((e, i) => {
          diagnostics[`excess_risk(${i})`] = e;
        });
        return { weights: lossWeights.slice(), diagnostics };
      },
      state(): Json {
        const saved: SavedState = {
          lossWeights,
          initial,
          accumulator: accumulator === null ? null : encodeFloat32(accumulator.dataSync() as Float32Array),
          parameterCount: accumulator === null ? 0 : (accumulator.shape[1] as number),
        };
        return saved as unknown as Json;
      },
      loadState(state) {
        const saved = state as Partial<SavedState> | null;
        if (
          saved === null ||
          typeof saved !== 'object' ||
          !Array.isArray(saved.lossWeights) ||
          saved.lossWeights.length !== taskCount
        ) {
          throw new PluginError(`${OWNER}: saved state is not an excess_mtl state for ${taskCount} tasks`);
        }
        lossWeights = saved.lossWeights.slice();
        initial = saved.initial ?? null;
        accumulator?.dispose();
        accumulator = null;
        if (saved.accumulator !== null && saved.accumulator !== undefined) {
          const count = saved.parameterCount ?? 0;
          accumulator = tf.tensor2d(decodeFloat32(saved.accumulator, taskCount * count, OWNER), [
            taskCount,
            count,
          ]);
        }
      },
      dispose() {
        accumulator?.dispose();
        accumulator = null;
      },
    };
  },
});
