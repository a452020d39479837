import {
  CONTRACT_VERSION,
  defineStrategy,
  type Json,
  requireGradients,
  type Strategy,
  UserError,
} from '@mtl2r/core';
import { clippedCombination, sdmgradWeights } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const sdmgradOptions = z.strictObject({
  /** Weight of the direction-oriented regulariser toward the average gradient g0 (the paper's lambda). */
  lambda: z.number().nonnegative().max(1e6).default(0.6),
  /** Projected gradient steps on the simplex weights w per training step (the reference's niter). */
  steps: z.number().int().nonnegative().max(100_000).default(20),
  /** Step size of those inner steps on the normalised Gram matrix (the reference's 10). */
  learningRate: z.number().positive().max(1e6).default(10),
  /**
   * 'deepmtl2r': DeepMTL2R's combined gradient: the shared direction is K times the paper's d, with its norm
   * clipped to 1 (clip_grad_norm_), and each task head gets its own gradient with weight 1.
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type SdmgradOptions = z.infer<typeof sdmgradOptions>;

/** The reference's max_norm: the norm-1 clip of the shared combined gradient under `compat: 'deepmtl2r'`. */
const DEEPMTL2R_MAX_NORM = 1;

function readSimplex(state: Json, taskCount: number): Float64Array {
  const w = (state as { w?: unknown } | null)?.w;
  const valid =
    Array.isArray(w) &&
    w.length === taskCount &&
    w.every((value) => typeof value === 'number' && Number.isFinite(value) && value >= 0) &&
    Math.abs((w as number[]).reduce((a, b) => a + b, 0) - 1) < 1e-6;
  if (!valid) {
    throw new UserError(
      `${packageJson.name}: cannot resume from saved state ${JSON.stringify(state)}: expected { w: ${taskCount} non-negative numbers summing to 1 }`,
    );
  }
  return Float64Array.from(w as number[]);
}

/**
 * SDMGrad (Xiao, Ban, Ji 2023): simplex weights w approximately minimise ||G^T w + lambda g0||^2 (g0 the mean
 * task gradient) by projected gradient steps warm-started from the previous step's w, and the shared update
 * is d = (G^T w + lambda g0) / (1 + lambda): the direction closest to the lambda-weighted average gradient
 * among those that improve every task. On the Gram matrix (@mtl2r/solvers sdmgradWeights): d = sum_i c_i g_i.
 */
export const sdmgradPlugin = defineStrategy<SdmgradOptions>({
  id: 'sdmgrad',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: 'shared' },
  description: 'SDMGrad: direction-oriented MGDA, regularised toward the average gradient (lambda)',
  packageName: packageJson.name,
  options: sdmgradOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    let w: Float64Array = new Float64Array(taskCount).fill(1 / taskCount);
    return {
      needs: { grads: 'shared' },
      combine(input) {
        const { grads, gram } = requireGradients(input, 'sdmgrad', 'shared');
        const result = sdmgradWeights(gram, options.lambda, {
          steps: options.steps,
          learningRate: options.learningRate,
          init: w,
        });
        w = result.simplexWeights;
        const diagnostics: Record<string, number> = {};
        w.forEach((value, i) => {
          diagnostics[`sdmgrad_w(${context.taskNames[i]})`] = value;
        });
        if (options.compat !== 'deepmtl2r') return { weights: Array.from(result.weights), diagnostics };
        // The reference multiplies d by K "to match the sum loss", then clips the shared gradient's norm.
        const scaled = Array.from(result.weights, (c) => c * taskCount);
        const clipped = clippedCombination(grads, scaled, gram, DEEPMTL2R_MAX_NORM);
        diagnostics.clip_scale = clipped.scale;
        return { weights: new Array<number>(taskCount).fill(1), direction: clipped.direction, diagnostics };
      },
      state: (): Json => ({ w: Array.from(w) }),
      loadState(state) {
        w = readSimplex(state, taskCount);
      },
      dispose: () => {},
    };
  },
});
