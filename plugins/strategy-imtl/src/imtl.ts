import { CONTRACT_VERSION, defineStrategy, requireGram, type Strategy } from '@mtl2r/core';
import { imtlProjection, imtlWeights } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

/** IMTL-G has no hyperparameters; unknown keys are rejected. */
export const imtlOptions = z.strictObject({});
export type ImtlOptions = z.infer<typeof imtlOptions>;

/**
 * IMTL-G (Liu et al. 2021, "Towards Impartial Multi-task Learning"): the weights alpha (sum 1) for which the
 * aggregate g = sum_i alpha_i g_i has the same projection onto every unit task gradient g_i / ||g_i||, so no
 * task is favoured by the update. Closed form on the Gram matrix (`imtlWeights`); weights may be negative.
 */
export const imtlPlugin = defineStrategy<ImtlOptions>({
  id: 'imtl',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: 'shared' },
  // Not declared weightsSumToOne: they sum to 1 but may be negative.
  description: 'IMTL-G: weights giving the aggregate gradient equal projections on every unit task gradient',
  packageName: packageJson.name,
  options: imtlOptions,
  create(): Strategy {
    return {
      needs: { grads: 'shared' },
      combine(input) {
        const gram = requireGram(input, 'imtl', 'shared');
        const weights = imtlWeights(gram);
        return { weights: Array.from(weights), diagnostics: { projection: imtlProjection(gram, weights) } };
      },
      // Stateless: a closed form per step.
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    };
  },
});
