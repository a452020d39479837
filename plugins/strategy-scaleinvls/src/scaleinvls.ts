import { CONTRACT_VERSION, defineStrategy, preferenceWeights, type Strategy, UserError } from '@mtl2r/core';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const scaleinvlsOptions = z.strictObject({
  /** 'deepmtl2r': the preference as written (not normalised; all 1s when none is given), as DeepMTL2R's code. */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type ScaleinvlsOptions = z.infer<typeof scaleinvlsOptions>;

/**
 * Scale-invariant linear scalarization: minimise sum_i r_i ln L_i. Its gradient is
 * sum_i (r_i / L_i) grad L_i, so the weights are r_i / L_i of the current (detached) losses: multiplying
 * a task's loss by a constant no longer changes the direction. The weights do not sum to 1.
 */
export const scaleinvlsPlugin = defineStrategy<ScaleinvlsOptions>({
  id: 'scaleinvls',
  contractVersion: CONTRACT_VERSION,
  family: 'scalarization',
  paretoFront: true,
  needs: { grads: 'none', preference: true, positiveLosses: true },
  description: 'Scale-invariant linear scalarization: sum of preference-weighted log task losses',
  packageName: packageJson.name,
  options: scaleinvlsOptions,
  create(options, context): Strategy {
    const preference = preferenceWeights(context, options.compat);
    return {
      needs: { grads: 'none', preference: true, positiveLosses: true },
      combine({ step, losses }) {
        const weights = new Array<number>(context.taskCount);
        for (let i = 0; i < context.taskCount; i++) {
          const loss = losses[i] as number;
          // The trainer refuses losses that can be <= 0 up front; this catches one that reaches 0 anyway
          // (or NaN), where ln L is undefined and r_i / L_i would be infinite.
          if (!(loss > 0 && Number.isFinite(loss))) {
            throw new UserError(
              `scaleinvls: the loss of task '${context.taskNames[i]}' is ${loss} at step ${step}; scaleinvls minimises sum_i r_i ln L_i and needs every loss to be finite and > 0`,
              {
                hint: 'use a ranking loss that is always positive (e.g. listNet, rankNet, lambdaLoss), or a strategy without logarithms such as ls',
              },
            );
          }
          weights[i] = (preference[i] as number) / loss;
        }
        return { weights };
      },
      state: () => null, // stateless: the weights depend only on this step's losses
      loadState: () => {},
      dispose: () => {},
    };
  },
});
