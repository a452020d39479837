import {
  CONTRACT_VERSION,
  type CombineOutput,
  defineStrategy,
  requireGradients,
  type Strategy,
} from '@mtl2r/core';
import { cagradDeepmtl2rWeights, cagradWeights, clippedCombination, logLossSpace } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const logCagradOptions = z.strictObject({
  /** Radius of the ball around the mean log-loss gradient, relative to its norm (DeepMTL2R uses 0.4). */
  c: z.number().min(0).max(100).default(0.4),
  /** Final division of the direction: 'none', 1 + c^2 (the default, as the reference) or 1 + c. */
  rescale: z.enum(['none', 'one-plus-c-squared', 'one-plus-c']).default('one-plus-c-squared'),
  /** Cap on the inner solver's bisection rounds (each an exact simplex QP). */
  maxIterations: z.number().int().positive().max(10_000).default(200),
  /**
   * 'deepmtl2r': DeepMTL2R's LOG_CAGrad: its eps terms, the direction times K, the shared parameters' part
   * clipped to norm 1 (returned as `direction`), and each task head on the gradient of ln L_i.
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type LogCagradOptions = z.infer<typeof logCagradOptions>;

/** DeepMTL2R clips the shared parameters' combined gradient to this norm (its max_norm default, never overridden). */
const DEEPMTL2R_MAX_NORM = 1;

/**
 * LOG_CAGrad: CAGrad (Liu et al. 2021) on the gradients of ln L_i, which are g_i / L_i. The inner problem runs
 * on the Gram matrix M_ij / (L_i L_j); the coefficients on the log-loss gradients map back as w_i / L_i.
 * The losses must be > 0.
 */
export const logCagradPlugin = defineStrategy<LogCagradOptions>({
  id: 'log_cagrad',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: 'shared', positiveLosses: true },
  description: 'LOG_CAGrad: CAGrad on the log-loss gradients g_i / L_i',
  packageName: packageJson.name,
  options: logCagradOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    return {
      needs: { grads: 'shared', positiveLosses: true },
      combine(input): CombineOutput {
        const { step, losses } = input;
        const { gram, grads } = requireGradients(input, 'log_cagrad', 'shared');
        const logSpace = logLossSpace(gram, losses, {
          method: 'log_cagrad',
          taskNames: context.taskNames,
          step,
        });
        if (options.compat === 'deepmtl2r') {
          const reference = cagradDeepmtl2rWeights(logSpace.gram, options.c, options.rescale);
          // Times K as the reference, mapped back to the task gradients, then its clip of the shared part.
          const scaled = logSpace.toLossWeights(reference.weights.map((w) => w * taskCount));
          const clipped = clippedCombination(grads, scaled, gram, DEEPMTL2R_MAX_NORM);
          return {
            // Each head gets the gradient of ln L_i, i.e. g_i / L_i, as after the reference's backward passes.
            weights: Array.from(logSpace.toLossWeights(new Float64Array(taskCount).fill(1))),
            direction: clipped.direction,
            diagnostics: { shared_norm: clipped.norm, clip_scale: clipped.scale },
          };
        }
        const result = cagradWeights(logSpace.gram, options.c, {
          rescale: options.rescale,
          maxIterations: options.maxIterations,
        });
        return {
          weights: Array.from(logSpace.toLossWeights(result.weights)),
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
