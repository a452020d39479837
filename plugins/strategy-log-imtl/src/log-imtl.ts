import { CONTRACT_VERSION, defineStrategy, requireGram, type Strategy } from '@mtl2r/core';
import { imtlProjection, imtlWeights, logLossSpace } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

/** LOG_IMTL has no hyperparameters; unknown keys are rejected. */
export const logImtlOptions = z.strictObject({});
export type LogImtlOptions = z.infer<typeof logImtlOptions>;

/**
 * LOG_IMTL: IMTL-G (Liu et al. 2021) on the gradients of ln L_i, which are g_i / L_i. The closed form runs on
 * the Gram matrix M_ij / (L_i L_j); its weights alpha (sum 1 on the log-loss gradients) map back as
 * w_i = alpha_i / L_i. The aggregate has the same direction as IMTL-G's (unit gradients do not change), but
 * its length follows the log-losses. The losses must be > 0.
 */
export const logImtlPlugin = defineStrategy<LogImtlOptions>({
  id: 'log_imtl',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: 'shared', positiveLosses: true },
  description: 'LOG_IMTL: IMTL-G on the log-loss gradients g_i / L_i',
  packageName: packageJson.name,
  options: logImtlOptions,
  create(_options, context): Strategy {
    return {
      needs: { grads: 'shared', positiveLosses: true },
      combine(input) {
        const { step, losses } = input;
        const gram = requireGram(input, 'log_imtl', 'shared');
        const logSpace = logLossSpace(gram, losses, {
          method: 'log_imtl',
          taskNames: context.taskNames,
          step,
        });
        const alpha = imtlWeights(logSpace.gram);
        return {
          weights: Array.from(logSpace.toLossWeights(alpha)),
          // The common projection of the log-loss aggregate onto the unit gradients.
          diagnostics: { projection: imtlProjection(logSpace.gram, alpha) },
        };
      },
      // Stateless: a closed form per step.
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    };
  },
});
