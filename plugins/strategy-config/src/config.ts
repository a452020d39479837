import { CONTRACT_VERSION, defineStrategy, requireGram, type Strategy } from '@mtl2r/core';
import { configWeights } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const configOptions = z.strictObject({
  /** 'shared': gradients of all shared parameters; 'representation': of the encoder output. */
  gradientSpace: z.enum(['shared', 'representation']).default('shared'),
});
export type ConfigOptions = z.infer<typeof configOptions>;

/**
 * ConFIG (Liu et al., ICLR 2025): the update direction has the same positive cosine with every task
 * gradient (v solves u_i . v = 1 for the unit gradients u_i, by the pseudo-inverse), and its length is the
 * sum of the task gradients' projections on it. Computed from the Gram matrix (@mtl2r/solvers'
 * configWeights): the direction is a combination of the task gradients, returned as weights.
 */
export const configPlugin = defineStrategy<ConfigOptions>({
  id: 'config',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: ['shared', 'representation'] },
  description: 'ConFIG: conflict-free direction from the pseudo-inverse of the unit task gradients',
  packageName: packageJson.name,
  options: configOptions,
  create(options): Strategy {
    const space = options.gradientSpace;
    return {
      needs: { grads: space },
      combine(input) {
        const gram = requireGram(input, 'config', space);
        const { weights, cosines } = configWeights(gram);
        return { weights, diagnostics: { cosine: cosines[0] as number } };
      },
      // Stateless: the direction depends on this step's gradients only.
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    };
  },
});
