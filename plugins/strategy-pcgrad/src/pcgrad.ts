import {
  CONTRACT_VERSION,
  type CombineOutput,
  defineStrategy,
  type Json,
  type Rng,
  requireGradients,
  rngFromSavedWords,
  type Strategy,
} from '@mtl2r/core';
import { clippedCombination, pcgradWeights, randomPcgradOrders } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const pcgradOptions = z.strictObject({
  /**
   * 'sum' (default, as the paper and DeepMTL2R) moves along sum_i g_i'; 'mean' along its K-th part, which
   * keeps the step size of the average gradient.
   */
  reduction: z.enum(['sum', 'mean']).default('sum'),
  /**
   * 'deepmtl2r': DeepMTL2R's code, which clips the shared parameters' combined gradient to norm 1
   * (clip_grad_norm_, before the trainer's own clipping); returned as the direction, and the task heads get
   * weight 1 each (its heads follow the plain sum of the losses).
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type PcgradOptions = z.infer<typeof pcgradOptions>;

function readRngState(state: Json): Rng {
  return rngFromSavedWords((state as { rng?: unknown } | null)?.rng, '@mtl2r/strategy-pcgrad');
}

/** Pairs (i < j) whose gradients conflict (g_i . g_j < 0), from the row-major K*K Gram matrix. */
function countConflicts(gram: Float64Array, taskCount: number): number {
  let conflicts = 0;
  for (let i = 0; i < taskCount; i++) {
    for (let j = i + 1; j < taskCount; j++) if ((gram[i * taskCount + j] as number) < 0) conflicts++;
  }
  return conflicts;
}

/** DeepMTL2R's max_norm for the shared parameters' combined gradient (WeightMethod's default). */
const DEEPMTL2R_MAX_NORM = 1;

/**
 * PCGrad (Yu et al. 2020): each task gradient g_i, visiting the other tasks in a random order, is projected
 * on the normal plane of every g_j it conflicts with (g_i' . g_j < 0); the update is sum_i g_i'. Every
 * projection subtracts a multiple of an original g_j, so the update is sum_k w_k g_k with w computed from
 * the K x K Gram matrix alone: the [K, P] gradients never leave the backend.
 */
export const pcgradPlugin = defineStrategy<PcgradOptions>({
  id: 'pcgrad',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: 'shared' },
  description: 'PCGrad: project each task gradient off the gradients it conflicts with, then sum',
  packageName: packageJson.name,
  options: pcgradOptions,
  create(options, context): Strategy {
    let rng = context.rng;
    const taskCount = context.taskCount;
    const scale = options.reduction === 'mean' ? 1 / taskCount : 1;
    return {
      needs: { grads: 'shared' },
      combine(input): CombineOutput {
        const { grads, gram } = requireGradients(input, 'pcgrad', 'shared');
        // Orders are drawn every step, even when nothing conflicts, so the stream advances the same way
        // whatever the gradients are.
        const orders = randomPcgradOrders(taskCount, rng);
        const weights = Array.from(pcgradWeights(gram, orders), (w) => w * scale);
        const conflicts = countConflicts(gram, taskCount);
        if (options.compat !== 'deepmtl2r') return { weights, diagnostics: { conflicting_pairs: conflicts } };
        const clipped = clippedCombination(grads, weights, gram, DEEPMTL2R_MAX_NORM);
        return {
          weights: new Array<number>(taskCount).fill(1),
          direction: clipped.direction,
          diagnostics: {
            conflicting_pairs: conflicts,
            combined_norm: clipped.norm,
            clip_scale: clipped.scale,
          },
        };
      },
      state: (): Json => ({ rng: rng.state().s }),
      loadState(state) {
        rng = readRngState(state);
      },
      dispose: () => {},
    };
  },
});
