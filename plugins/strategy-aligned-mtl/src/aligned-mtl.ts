import { CONTRACT_VERSION, defineStrategy, requireGram, type Strategy } from '@mtl2r/core';
import { alignedMtlWeights } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const alignedMtlOptions = z.strictObject({
  /** 'shared': gradients of all shared parameters; 'representation': of the encoder output (Aligned-MTL-UB). */
  gradientSpace: z.enum(['shared', 'representation']).default('shared'),
});
export type AlignedMtlOptions = z.infer<typeof alignedMtlOptions>;

/**
 * Aligned-MTL (Senushkin et al., CVPR 2023): the task gradients G are replaced by an aligned set whose
 * principal components all have the smallest non-zero singular value sigma_R (condition number 1), and the
 * update is their sum. From the eigendecomposition G G^T = V Lambda V^T (rank R), the aligned gradients
 * are sigma_R V Lambda^(-1/2) V^T G, so the update is sum_j w_j g_j with w = the column sums of
 * sigma_R V Lambda^(-1/2) V^T: a function of the K x K Gram matrix alone.
 */
export const alignedMtlPlugin = defineStrategy<AlignedMtlOptions>({
  id: 'aligned_mtl',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: ['shared', 'representation'] },
  description: 'Aligned-MTL: align the principal components of the task gradients (condition number 1)',
  packageName: packageJson.name,
  options: alignedMtlOptions,
  create(options): Strategy {
    const space = options.gradientSpace;
    return {
      needs: { grads: space },
      combine(input) {
        const gram = requireGram(input, 'aligned_mtl', space);
        const result = alignedMtlWeights(gram);
        return {
          weights: result.weights,
          diagnostics: { rank: result.rank, condition_number: result.conditionNumber },
        };
      },
      // Stateless: each step's alignment depends on that step's gradients only.
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    };
  },
});
