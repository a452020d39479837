import {
  CONTRACT_VERSION,
  type CombineOutput,
  defineStrategy,
  requireGram,
  type Strategy,
} from '@mtl2r/core';
import { minNormPoint, minNormPointDeepmtl2r } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { gradientNormalizers, type Normalization } from './gradient-normalizers.js';

export const mgdaOptions = z.strictObject({
  /**
   * How each task gradient is scaled before the min-norm problem, as in the MGDA reference code:
   * 'none' g_i, 'l2' g_i / ||g_i||, 'loss' g_i / L_i, 'loss+' g_i / (L_i ||g_i||).
   */
  normalization: z.enum(['none', 'l2', 'loss', 'loss+']).default('none'),
  /** 'shared': gradients of all shared parameters (MGDA); 'representation': of the encoder output (MGDA-UB). */
  gradientSpace: z.enum(['shared', 'representation']).default('shared'),
  /** Min-norm solver for K > 2 (K = 2 uses the exact pair rule). */
  solver: z.enum(['frank-wolfe', 'projected-gradient']).default('frank-wolfe'),
  /** Iteration cap of the K > 2 solver (the reference's MAX_ITER is 250). */
  maxIterations: z.number().int().positive().max(100_000).default(250),
  /**
   * 'deepmtl2r': DeepMTL2R's MGDA instead of the paper's: its own min-norm solver (clamped 0.999 / 0.001
   * pair rule, projected-gradient steps, its stopping rule), the coefficients times K and applied to the
   * un-normalised gradients.
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type MgdaOptions = z.infer<typeof mgdaOptions>;

/**
 * MGDA (Sener & Koltun 2018): the update is the min-norm point of the convex hull of the task gradients,
 * the common descent direction of all tasks (zero at a Pareto-stationary point). With a normalisation
 * n_i the hull is that of g_i / n_i, and the min-norm coefficients a (on the simplex) are mapped back to
 * the original gradients: weights w_i = a_i / n_i, so sum_i w_i g_i is exactly the min-norm point of the
 * normalised hull. All of it runs on the K x K Gram matrix: M'_ij = M_ij / (n_i n_j).
 */
export const mgdaPlugin = defineStrategy<MgdaOptions>({
  id: 'mgda',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: ['shared', 'representation'] },
  // Not declared weightsSumToOne: the weights sum to 1 only with normalization 'none'.
  description: 'MGDA: min-norm point of the convex hull of the (normalised) task gradients',
  packageName: packageJson.name,
  options: mgdaOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    const normalization: Normalization = options.normalization;
    const space = options.gradientSpace;
    return {
      // the loss normalisations divide by the losses: the trainer refuses losses that can be <= 0
      needs: { grads: space, positiveLosses: normalization === 'loss' || normalization === 'loss+' },
      combine(input): CombineOutput {
        const { step, losses } = input;
        const gram = requireGram(input, 'mgda', space);
        const normalizers = gradientNormalizers(gram, losses, normalization, context.taskNames, step);
        const scaled = new Float64Array(taskCount * taskCount);
        for (let i = 0; i < taskCount; i++) {
          for (let j = 0; j < taskCount; j++) {
            scaled[i * taskCount + j] =
              (gram[i * taskCount + j] as number) / ((normalizers[i] as number) * (normalizers[j] as number));
          }
        }
        if (options.compat === 'deepmtl2r') {
          // The reference's solver; sol * K applied to the raw losses (its normalisation only steers sol).
          const reference = minNormPointDeepmtl2r(scaled);
          return {
            weights: Array.from(reference.weights, (a) => a * taskCount),
            diagnostics: {
              min_norm: Math.sqrt(Math.max(0, reference.cost)),
              solver_iterations: reference.iterations,
              solver_converged: reference.converged ? 1 : 0,
            },
          };
        }
        const result = minNormPoint(scaled, { method: options.solver, maxIterations: options.maxIterations });
        const weights = Array.from(result.weights, (a, i) => a / (normalizers[i] as number));
        return {
          weights,
          diagnostics: { min_norm: Math.sqrt(result.normSquared), solver_iterations: result.iterations },
        };
      },
      // Stateless: each step's min-norm problem is solved from scratch (no warm start, so resume is exact).
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    };
  },
});
