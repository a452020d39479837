import {
  CONTRACT_VERSION,
  type CombineOutput,
  defineStrategy,
  preferenceWeights,
  requireGram,
  type Strategy,
} from '@mtl2r/core';
import { wcMgdaWeights } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const wcMgdaOptions = z.strictObject({
  /** Weight u of the norm term ||K alpha|| / ||K||_2 (DeepMTL2R's value; larger is closer to MGDA). */
  u: z.number().nonnegative().max(1e6).default(0.1),
  /** 'shared': gradients of all shared parameters; 'representation': of the encoder output (cheaper). */
  gradientSpace: z.enum(['shared', 'representation']).default('shared'),
  /** 'deepmtl2r': weight the losses by alpha itself, as DeepMTL2R does (see the README). */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type WcMgdaPluginOptions = z.infer<typeof wcMgdaOptions>;

/**
 * WC-MGDA (Momma, Dong, Liu 2022): alpha maximises alpha.(r * L) - u ||K alpha|| over the simplex (both
 * terms normalised, K^2 = diag(r) G G^T diag(r)), the dual of a weighted-Chebyshev step with a proximal
 * term; the update follows the gradient of sum_i alpha_i r_i L_i. A small SOCP on the Gram matrix, solved
 * to a certified gap by `wcMgdaWeights` (see @mtl2r/solvers).
 */
export const wcMgdaPlugin = defineStrategy<WcMgdaPluginOptions>({
  id: 'wc_mgda',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: true,
  needs: { grads: ['shared', 'representation'], preference: true },
  weightsSumToOne: true,
  description: 'WC-MGDA: weighted-Chebyshev MGDA toward the preference (a small SOCP on the Gram matrix)',
  packageName: packageJson.name,
  options: wcMgdaOptions,
  create(options, context): Strategy {
    const space = options.gradientSpace;
    const compat = options.compat === 'deepmtl2r';
    // Under compat the preference as the config wrote it (DeepMTL2R's task_weights, all 1s when absent); the
    // method is invariant to its scale, so this changes nothing but says what is reproduced.
    const preference = preferenceWeights(context, options.compat);
    return {
      needs: { grads: space, preference: true },
      combine(input): CombineOutput {
        const { losses } = input;
        const gram = requireGram(input, 'wc_mgda', space);
        // DeepMTL2R takes sqrtm(G2 + 1e-12 I): under compat the same ridge enters ||K alpha|| and ||K||_2.
        const result = wcMgdaWeights(gram, losses, preference, { u: options.u, ridge: compat ? 1e-12 : 0 });
        const diagnostics = {
          wc_objective: result.objective,
          solver_gap: result.gap,
          solver_converged: result.converged ? 1 : 0,
        };
        if (compat) return { weights: result.alpha, diagnostics };
        // The paper's update is the gradient of sum_i alpha_i r_i L_i: weights proportional to alpha * r.
        const scaled = Array.from(result.alpha, (a, i) => a * (preference[i] as number));
        const total = scaled.reduce((sum, value) => sum + value, 0);
        return {
          weights: total > 0 ? scaled.map((value) => value / total) : Array.from(result.alpha),
          diagnostics,
        };
      },
      // Stateless: each step's problem is solved from scratch, so a resumed run is identical.
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    };
  },
});
