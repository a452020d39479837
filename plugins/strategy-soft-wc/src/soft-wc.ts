import { CONTRACT_VERSION, defineStrategy, preferenceWeights, type Strategy } from '@mtl2r/core';
import { chebyshevDeviations, chebyshevIdeal, softmax } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const softWcOptions = z.strictObject({
  /** Smoothing temperature mu > 0: small -> weighted Chebyshev (wc), large -> linear scalarization (ls). */
  mu: z.number().positive().default(1),
  /** Ideal point z*: the deviations are r_i (L_i - z_i). Default 0 for every task. */
  ideal: z.array(z.number()).min(1).optional(),
  /**
   * 'deepmtl2r': DeepMTL2R's code: weights softmax(r_i (L_i - z_i) / mu) with the preference as written
   * (all 1s when none is given); the preference scales the exponent only, not the gradient. The reference
   * has no mu and no ideal point: it is mu = 1, z = 0 (the defaults).
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type SoftWcOptions = z.infer<typeof softWcOptions>;

/**
 * Smooth weighted Chebyshev (smooth Tchebycheff, Lin et al. 2024, eq. 9):
 *   minimise g(L) = mu log sum_i exp(r_i (L_i - z_i) / mu).
 * Its gradient is sum_i r_i s_i grad L_i with s = softmax(r (L - z) / mu). The weights are that gradient
 * normalised to sum 1, r_i s_i / sum_j r_j s_j, computed in log space as softmax(ln r_i + r_i (L_i - z_i) / mu)
 * so a preference of 0 gives exactly 0 and nothing overflows. They are detached: computed from the loss
 * values of this step.
 */
export const softWcPlugin = defineStrategy<SoftWcOptions>({
  id: 'soft_wc',
  contractVersion: CONTRACT_VERSION,
  family: 'scalarization',
  paretoFront: true,
  needs: { grads: 'none', preference: true },
  weightsSumToOne: true,
  description: 'Smooth weighted Chebyshev (smooth Tchebycheff): log-sum-exp of preference-weighted losses',
  packageName: packageJson.name,
  options: softWcOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    const compat = options.compat === 'deepmtl2r';
    const preference = preferenceWeights(context, options.compat);
    const ideal = chebyshevIdeal(options.ideal, taskCount, 'soft_wc');
    const logPreference = preference.map((r) => (r > 0 ? Math.log(r) : Number.NEGATIVE_INFINITY));
    return {
      needs: { grads: 'none', preference: true },
      combine({ step, losses }) {
        const deviations = chebyshevDeviations(losses, {
          preference,
          ideal,
          strategyId: 'soft_wc',
          method: 'smooth Chebyshev',
          taskNames: context.taskNames,
          step,
        });
        const logits = deviations.map((d, i) => (compat ? 0 : (logPreference[i] as number)) + d / options.mu);
        return { weights: Array.from(softmax(logits)) };
      },
      state: () => null, // stateless: the weights depend only on this step's losses
      loadState: () => {},
      dispose: () => {},
    };
  },
});
