import { CONTRACT_VERSION, defineStrategy, preferenceWeights, type Strategy } from '@mtl2r/core';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const lsOptions = z.strictObject({
  /**
   * 'deepmtl2r': DeepMTL2R's code, which uses the preference as written (not normalised) and all 1s when
   * none is given, so its weights sum to K by default instead of 1.
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type LsOptions = z.infer<typeof lsOptions>;

/**
 * Linear scalarization: minimise sum_i r_i L_i for a preference vector r (uniform by default). The
 * weights are the preference itself, constant over training; sweeping r traces the convex part of the
 * Pareto front.
 */
export const lsPlugin = defineStrategy<LsOptions>({
  id: 'ls',
  contractVersion: CONTRACT_VERSION,
  family: 'scalarization',
  paretoFront: true,
  needs: { grads: 'none', preference: true },
  // Not declared weightsSumToOne: they sum to 1 by default, to sum(preference) under compat 'deepmtl2r'.
  description: 'Linear scalarization: sum of preference-weighted task losses',
  packageName: packageJson.name,
  options: lsOptions,
  create(options, context): Strategy {
    const weights = Float32Array.from(preferenceWeights(context, options.compat));
    return {
      needs: { grads: 'none', preference: true },
      combine: () => ({ weights }),
      state: () => null, // stateless: the preference comes from the config
      loadState: () => {},
      dispose: () => {},
    };
  },
});
