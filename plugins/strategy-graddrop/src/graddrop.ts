import {
  CONTRACT_VERSION,
  defineStrategy,
  type Json,
  type Rng,
  rngFromSavedWords,
  type Strategy,
  UserError,
} from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { clipDirection, signDropout } from './sign-dropout.js';

export const graddropOptions = z
  .strictObject({
    /**
     * Where the gradients are taken and masked: 'representation' (the paper: at the encoder output, where the
     * task heads split; default) or 'shared' (every shared parameter, as DeepMTL2R).
     */
    gradientSpace: z.enum(['shared', 'representation']).optional(),
    /** The paper's leak: a dropped entry is multiplied by `leak` instead of 0 (0 = pure sign dropout). */
    leak: z.number().min(0).max(1).default(0),
    /**
     * 'deepmtl2r': DeepMTL2R's GradDrop: shared parameters, and the dropped-out sum's norm clipped to 1 (its
     * max_norm, clip_grad_norm_).
     */
    compat: z.enum(['deepmtl2r']).optional(),
  })
  .refine((options) => options.compat !== 'deepmtl2r' || options.gradientSpace !== 'representation', {
    message:
      "compat 'deepmtl2r' masks the shared parameters' gradients: leave gradientSpace out or set 'shared'",
    path: ['gradientSpace'],
  });
export type GraddropOptions = z.infer<typeof graddropOptions>;

/** The reference's max_norm: the norm-1 clip of the shared combined gradient under `compat: 'deepmtl2r'`. */
const DEEPMTL2R_MAX_NORM = 1;

function readRngState(state: Json): Rng {
  return rngFromSavedWords((state as { rng?: unknown } | null)?.rng, packageJson.name);
}

/**
 * GradDrop (Chen et al. 2020, "Just Pick a Sign"): per gradient coordinate, one uniform draw picks the sign
 * to keep with probability given by the tasks' sign purity, and the update is the sum of the surviving task
 * gradient entries. Not a linear combination of task gradients, so it is returned as a `direction`; the
 * work stays on the backend ([K, N] elementwise), the draws come from a tfjs uniform seeded by `ctx.rng`.
 * Task heads get their own gradient (weight 1 each).
 */
export const graddropPlugin = defineStrategy<GraddropOptions>({
  id: 'graddrop',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: ['representation', 'shared'] },
  description: 'GradDrop: drop each coordinate of the task gradients whose sign loses a random purity draw',
  packageName: packageJson.name,
  options: graddropOptions,
  create(options, context): Strategy {
    const compat = options.compat === 'deepmtl2r';
    const space = options.gradientSpace ?? (compat ? 'shared' : 'representation');
    const taskCount = context.taskCount;
    let rng = context.rng;
    return {
      needs: { grads: space },
      async combine({ grads }) {
        if (grads === undefined) {
          throw new UserError(`graddrop needs the per-task gradients (needs.grads = ${space})`);
        }
        if (grads.shape[0] !== taskCount) {
          throw new UserError(`graddrop: ${grads.shape[0]} task gradients for ${taskCount} tasks`);
        }
        // One seed per step from the strategy's stream, drawn even when nothing conflicts.
        const uniforms = tf.randomUniform([grads.shape[1]], 0, 1, 'float32', rng.seed31()) as tf.Tensor1D;
        let direction: tf.Tensor1D;
        try {
          direction = signDropout(grads, uniforms, options.leak);
        } finally {
          uniforms.dispose();
        }
        const weights = new Array<number>(taskCount).fill(1);
        if (!compat) return { weights, direction };
        const clipped = await clipDirection(direction, DEEPMTL2R_MAX_NORM);
        return { weights, direction: clipped.direction, diagnostics: { clip_scale: clipped.scale } };
      },
      state: (): Json => ({ rng: rng.state().s }),
      loadState(state) {
        rng = readRngState(state);
      },
      dispose: () => {},
    };
  },
});
