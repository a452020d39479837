import { type GramInput, readGram } from './gram-input.js';
import { numericalRank, symmetricEigen } from './symmetric-eigen.js';

export interface AlignedMtlResult {
  /** Weights w with sum_j w_j g_j = the sum of the aligned gradients. */
  weights: Float64Array;
  /** Numerical rank R of G G^T (float32 tolerance, as LAPACK/torch). */
  rank: number;
  /** sqrt(lambda_max / lambda_R): the condition number of G that the alignment brings to 1. */
  conditionNumber: number;
}

/**
 * Aligned-MTL's weights (Senushkin et al. 2023, Algorithm 1) from the Gram matrix M = G G^T = V Lambda V^T:
 * B = sqrt(lambda_R) V_R Lambda_R^(-1/2) V_R^T over the R non-negligible eigenpairs, w = column sums of B.
 * All gradients zero (rank 0): the weights are zero, the update is zero.
 */
export function alignedMtlWeights(gram: GramInput): AlignedMtlResult {
  const { gram: m, size } = readGram(gram);
  const { values, vectors } = symmetricEigen(m, size);
  const rank = numericalRank(values, size);
  const weights = new Float64Array(size);
  if (rank === 0) return { weights, rank, conditionNumber: Number.NaN };
  const smallest = values[rank - 1] as number;
  const scale = Math.sqrt(smallest);
  for (let c = 0; c < rank; c++) {
    const factor = scale / Math.sqrt(values[c] as number);
    let columnSum = 0;
    for (let i = 0; i < size; i++) columnSum += vectors[i * size + c] as number;
    for (let j = 0; j < size; j++)
      weights[j] = (weights[j] as number) + factor * columnSum * (vectors[j * size + c] as number);
  }
  return { weights, rank, conditionNumber: Math.sqrt((values[0] as number) / smallest) };
}
