import { CONTRACT_VERSION, defineStrategy, requireGram, type Strategy } from '@mtl2r/core';
import { fairgradWeights } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const fairgradOptions = z.strictObject({
  /** alpha of alpha-fairness: 1 proportional fairness (the authors' default), larger is fairer (toward max-min). */
  alpha: z.number().positive().max(1000).default(1),
});
export type FairgradOptions = z.infer<typeof fairgradOptions>;

/**
 * FairGrad (Ban & Ji, ICML 2024): the update d = G^T w maximises the alpha-fair utility of the tasks'
 * loss decreases g_i . d; its optimality condition is G G^T w = w^(-1/alpha), a K x K nonlinear system
 * solved by damped Newton on the Gram matrix (@mtl2r/solvers' fairgradWeights). If the solver does not
 * reach its tolerance, the step still uses the best iterate and logs `solver_residual`.
 */
export const fairgradPlugin = defineStrategy<FairgradOptions>({
  id: 'fairgrad',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: 'shared' },
  description: 'FairGrad: alpha-fair utility maximisation, G G^T w = w^(-1/alpha)',
  packageName: packageJson.name,
  options: fairgradOptions,
  create(options): Strategy {
    return {
      needs: { grads: 'shared' },
      combine(input) {
        const gram = requireGram(input, 'fairgrad', 'shared');
        const result = fairgradWeights(gram, options.alpha);
        return {
          weights: result.weights,
          diagnostics: {
            solver_residual: Number.isFinite(result.residual) ? result.residual : -1,
            solver_iterations: result.iterations,
          },
        };
      },
      // Stateless: each step solves its system from the authors' start 1/K, so resume is exact.
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    };
  },
});
