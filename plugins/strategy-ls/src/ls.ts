import { CONTRACT_VERSION, defineStrategy, type Strategy } from '@mtl2r/core';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const lsOptions = z.strictObject({});
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
  weightsSumToOne: true,
  description: 'Linear scalarization: sum of preference-weighted task losses',
  packageName: packageJson.name,
  options: lsOptions,
  create(_options, context): Strategy {
    const weights = Float32Array.from(
      context.preference ?? Array.from({ length: context.taskCount }, () => 1 / context.taskCount),
    );
    return {
      needs: { grads: 'none', preference: true },
      combine: () => ({ weights }),
      state: () => null, // stateless: the preference comes from the config
      loadState: () => {},
      dispose: () => {},
    };
  },
});
