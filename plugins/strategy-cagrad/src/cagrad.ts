import {
  CONTRACT_VERSION,
  type CombineOutput,
  defineStrategy,
  requireGradients,
  type Strategy,
} from '@mtl2r/core';
import { cagradDeepmtl2rWeights, cagradWeights, clippedCombination } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const cagradOptions = z.strictObject({
  /** Radius of the ball around the mean gradient, relative to its norm (the paper's c; DeepMTL2R uses 0.4). */
  c: z.number().min(0).max(100).default(0.4),
  /** Final division of the direction: 'none', 1 + c^2 (LibMTL's rescale 1, the default) or 1 + c. */
  rescale: z.enum(['none', 'one-plus-c-squared', 'one-plus-c']).default('one-plus-c-squared'),
  /** Cap on the inner solver's bisection rounds (each an exact simplex QP). */
  maxIterations: z.number().int().positive().max(10_000).default(200),
  /**
   * 'deepmtl2r': DeepMTL2R's CAGrad: its eps terms, the direction times K, the shared parameters' part
   * clipped to norm 1 (returned as `direction`), and every task head with weight 1.
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type CagradOptions = z.infer<typeof cagradOptions>;

/** DeepMTL2R clips the shared parameters' combined gradient to this norm (its max_norm default, never overridden). */
export const DEEPMTL2R_MAX_NORM = 1;

/**
 * CAGrad (Liu et al. 2021): the direction d in the ball ||d - g0|| <= c ||g0|| around the mean gradient g0
 * that maximises the worst task's improvement min_i g_i . d; its dual is a small problem on the simplex
 * solved exactly on the Gram matrix (`cagradWeights`), and d = sum_i w_i g_i.
 */
export const cagradPlugin = defineStrategy<CagradOptions>({
  id: 'cagrad',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: 'shared' },
  description: 'CAGrad: best worst-task improvement within a ball around the mean gradient',
  packageName: packageJson.name,
  options: cagradOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    return {
      needs: { grads: 'shared' },
      combine(input): CombineOutput {
        const { gram, grads } = requireGradients(input, 'cagrad', 'shared');
        if (options.compat === 'deepmtl2r') {
          const reference = cagradDeepmtl2rWeights(gram, options.c, options.rescale);
          // The reference multiplies the direction by K "to match the sum loss", then clips the shared part.
          const scaled = Array.from(reference.weights, (w) => w * taskCount);
          const clipped = clippedCombination(grads, scaled, gram, DEEPMTL2R_MAX_NORM);
          return {
            // Each head keeps its own loss's gradient, as after the reference's per-task backward passes.
            weights: new Array<number>(taskCount).fill(1),
            direction: clipped.direction,
            diagnostics: { shared_norm: clipped.norm, clip_scale: clipped.scale },
          };
        }
        const result = cagradWeights(gram, options.c, {
          rescale: options.rescale,
          maxIterations: options.maxIterations,
        });
        return {
          weights: Array.from(result.weights),
          diagnostics: {
            worst_improvement: result.worstImprovement,
            solver_iterations: result.iterations,
            solver_converged: result.converged ? 1 : 0,
          },
        };
      },
      // Stateless: the inner problem is solved from the uniform start each step, so resume is exact.
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    };
  },
});
