import { CONTRACT_VERSION, defineStrategy, requireGram, type Strategy } from '@mtl2r/core';
import { upgradWeights } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const upgradOptions = z.strictObject({
  /** Below this trace the normalised Gram matrix counts as zero (TorchJD's and LibMTL's norm_eps). */
  normEps: z.number().nonnegative().default(1e-4),
  /** Ridge added to the normalised Gram matrix so the projection QPs are strictly convex (reg_eps). */
  regEps: z.number().positive().max(1).default(1e-4),
});
export type UpgradOptions = z.infer<typeof upgradOptions>;

/**
 * UPGrad (Quinton & Rey 2024): the mean of the task gradients is replaced by the sum of each (1/K) g_i
 * projected onto the dual cone of all task gradients, so the update never conflicts with any task
 * (g_i . d >= 0) and equals the mean when nothing conflicts. The projections are K small QPs on the
 * Gram matrix (@mtl2r/solvers' upgradWeights), so the step never touches [P]-sized data.
 */
export const upgradPlugin = defineStrategy<UpgradOptions>({
  id: 'upgrad',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: 'shared' },
  description: 'UPGrad: project the mean onto the dual cone of the task gradients (Jacobian descent)',
  packageName: packageJson.name,
  options: upgradOptions,
  create(options): Strategy {
    return {
      needs: { grads: 'shared' },
      combine(input) {
        const gram = requireGram(input, 'upgrad', 'shared');
        const weights = upgradWeights(gram, { normEps: options.normEps, regEps: options.regEps });
        let sum = 0;
        for (const w of weights) sum += w;
        return { weights, diagnostics: { weight_sum: sum } };
      },
      // Stateless: every step's projections depend on that step's Gram matrix only.
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    };
  },
});
