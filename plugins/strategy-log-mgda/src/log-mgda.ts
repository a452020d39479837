import {
  CONTRACT_VERSION,
  type CombineOutput,
  defineStrategy,
  requireGram,
  type Strategy,
} from '@mtl2r/core';
import { logLossSpace, minNormPoint, minNormPointDeepmtl2r } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const logMgdaOptions = z.strictObject({
  /** 'shared': gradients of all shared parameters; 'representation': of the encoder output (MGDA-UB). */
  gradientSpace: z.enum(['shared', 'representation']).default('shared'),
  /** Min-norm solver for K > 2 (K = 2 uses the exact pair rule). */
  solver: z.enum(['frank-wolfe', 'projected-gradient']).default('frank-wolfe'),
  /** Iteration cap of the K > 2 solver. */
  maxIterations: z.number().int().positive().max(100_000).default(250),
  /**
   * 'deepmtl2r': DeepMTL2R's LOG_MGDA: its min-norm solver (clamped pair rule, its stopping rule) on the
   * gradients of ln(L_i + 1e-8), and the update divided by c = sum_i a_i / (L_i + 1e-8).
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type LogMgdaOptions = z.infer<typeof logMgdaOptions>;

/**
 * LOG_MGDA: MGDA (Sener & Koltun 2018) on the gradients of ln L_i, which are g_i / L_i. The min-norm
 * coefficients a on the simplex are found on the Gram matrix M_ij / (L_i L_j) and mapped back as
 * w_i = a_i / L_i, so sum_i w_i g_i is the min-norm point of the hull of the log-loss gradients. (This is
 * MGDA with normalization 'loss'.) The losses must be > 0.
 */
export const logMgdaPlugin = defineStrategy<LogMgdaOptions>({
  id: 'log_mgda',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: ['shared', 'representation'], positiveLosses: true },
  description: 'LOG_MGDA: min-norm point of the convex hull of the log-loss gradients g_i / L_i',
  packageName: packageJson.name,
  options: logMgdaOptions,
  create(options, context): Strategy {
    const space = options.gradientSpace;
    const compat = options.compat === 'deepmtl2r';
    return {
      needs: { grads: space, positiveLosses: true },
      combine(input): CombineOutput {
        const { step, losses } = input;
        const gram = requireGram(input, 'log_mgda', space);
        const logSpace = logLossSpace(gram, losses, {
          epsilon: compat ? 1e-8 : 0,
          method: 'log_mgda',
          taskNames: context.taskNames,
          step,
        });
        if (compat) {
          const reference = minNormPointDeepmtl2r(logSpace.gram);
          const mapped = logSpace.toLossWeights(reference.weights);
          // The reference divides its loss sum_i a_i ln(L_i + eps) by c = sum_i a_i / (L_i + eps).
          let c = 0;
          for (const w of mapped) c += w;
          return {
            weights: Array.from(mapped, (w) => w / c),
            diagnostics: {
              min_norm: Math.sqrt(Math.max(0, reference.cost)),
              solver_iterations: reference.iterations,
              solver_converged: reference.converged ? 1 : 0,
            },
          };
        }
        const result = minNormPoint(logSpace.gram, {
          method: options.solver,
          maxIterations: options.maxIterations,
        });
        return {
          weights: Array.from(logSpace.toLossWeights(result.weights)),
          diagnostics: { min_norm: Math.sqrt(result.normSquared), solver_iterations: result.iterations },
        };
      },
      // Stateless: each step's min-norm problem is solved from scratch.
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    };
  },
});
