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

export const dbMtlOptions = z.strictObject({
  /** Decay of the moving average of the log-loss gradients (the authors' default 0.9). */
  beta: z.number().min(0).max(1).default(0.9),
  /** The decay at step t is beta / t^betaSigma (0: a constant decay, the authors' default). */
  betaSigma: z.number().min(0).default(0),
});
export type DbMtlOptions = z.infer<typeof dbMtlOptions>;

const OWNER = packageJson.name;
const EPS = 1e-8;

interface SavedState {
  step: number;
  buffer: string | null;
  parameterCount: number;
}

/**
 * DB-MTL (Lin et al. 2023, "Dual-Balancing for Multi-Task Learning"): losses are balanced by taking
 * gradients of ln(L_i + 1e-8) (= g_i / (L_i + 1e-8)); gradients are balanced by scaling each task's moving
 * average h_i of those gradients to the largest norm: d = sum_i (max_j ||h_j|| / ||h_i||) h_i. The moving
 * average is a [K, P] buffer on the backend (checkpointed bit-exactly), so d is returned as a direction;
 * task heads follow their own log-loss gradient (weights 1 / (L_i + 1e-8)), as in the authors' code.
 */
export const dbMtlPlugin = defineStrategy<DbMtlOptions>({
  id: 'db_mtl',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: 'shared', positiveLosses: true },
  description: 'DB-MTL: log-loss scaling and gradient-magnitude balancing of a moving average',
  packageName: OWNER,
  options: dbMtlOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    let step = 0;
    let buffer: tf.Tensor2D | null = null;
    return {
      needs: { grads: 'shared', positiveLosses: true },
      combine({ losses, grads }) {
        if (grads === undefined)
          throw new UserError(
            'db_mtl needs the per-task gradients of the shared parameters (needs.grads = shared)',
          );
        step++;
        const decay = options.beta / step ** options.betaSigma;
        const scales = Array.from(losses, (l) => 1 / (l + EPS));
        const previous = buffer;
        const next = tf.tidy(() => {
          const logGrads = tf.mul(grads, tf.tensor2d(scales, [taskCount, 1]));
          const old = previous ?? tf.zerosLike(logGrads);
          return tf.add(logGrads, tf.mul(tf.sub(old, logGrads), decay)) as tf.Tensor2D;
        });
        previous?.dispose();
        buffer = next;
        const normTensor = tf.tidy(() => tf.norm(next, 'euclidean', 1));
        const norms = Array.from(normTensor.dataSync() as Float32Array);
        normTensor.dispose();
        const largest = Math.max(...norms);
        const alpha = norms.map((n) => largest / (n + EPS));
        const direction = tf.tidy(
          () => tf.reshape(tf.matMul(tf.tensor2d(alpha, [1, taskCount]), next), [-1]) as tf.Tensor1D,
        );
        const diagnostics: Record<string, number> = {};
        alpha.forEach((a, i) => {
          diagnostics[`scale(${i})`] = a;
        });
        return { weights: scales, direction, diagnostics };
      },
      state(): Json {
        const saved: SavedState = {
          step,
          buffer: buffer === null ? null : encodeFloat32(buffer.dataSync() as Float32Array),
          parameterCount: buffer === null ? 0 : (buffer.shape[1] as number),
        };
        return saved as unknown as Json;
      },
      loadState(state) {
        const saved = state as Partial<SavedState> | null;
        if (saved === null || typeof saved !== 'object' || typeof saved.step !== 'number') {
          throw new PluginError(`${OWNER}: saved state is not a db_mtl state`);
        }
        step = saved.step;
        buffer?.dispose();
        buffer = null;
        if (typeof saved.buffer === 'string') {
          const count = saved.parameterCount ?? 0;
          buffer = tf.tensor2d(decodeFloat32(saved.buffer, taskCount * count, OWNER), [taskCount, count]);
        }
      },
      dispose() {
        buffer?.dispose();
        buffer = null;
      },
    };
  },
});
