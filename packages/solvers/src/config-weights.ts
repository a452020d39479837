import { type GramInput, readGram } from './gram-input.js';
import { pseudoInverseSymmetric } from './symmetric-eigen.js';

export interface ConfigResult {
  weights: Float64Array;
  /** cos(g_i, g_c) for each task: all equal (the direction is conflict-free) unless rank-deficient. */
  cosines: Float64Array;
}

/**
 * ConFIG (Liu et al., ICLR 2025), from the Gram matrix: with unit gradients u_i = g_i / ||g_i|| and their
 * cosine matrix C = U U^T, the direction with equal unit projections is v = U^T pinv(U U^T) 1 = sum_j a_j u_j,
 * a = pinv(C) 1; the update is g_c = (sum_i g_i . v / ||v||) v / ||v||. Both are combinations of the g_j,
 * so the weights are w_j = s a_j / (||v|| ||g_j||) with ||v||^2 = a^T C a and s = sum_i g_i . v / ||v||.
 * A zero gradient has no direction: it gets weight 0 and does not constrain v.
 */
export function configWeights(gram: GramInput): ConfigResult {
  const { gram: m, size } = readGram(gram);
  const norms = Float64Array.from({ length: size }, (_, i) => Math.sqrt(m[i * size + i] as number));
  const cosine = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const denominator = (norms[i] as number) * (norms[j] as number);
      cosine[i * size + j] = denominator > 0 ? (m[i * size + j] as number) / denominator : 0;
    }
  }
  const pinv = pseudoInverseSymmetric(cosine, size);
  const a = new Float64Array(size);
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) a[i] = (a[i] as number) + (pinv[i * size + j] as number);
  let vSquared = 0;
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++)
      vSquared += (a[i] as number) * (cosine[i * size + j] as number) * (a[j] as number);
  const weights = new Float64Array(size);
  const cosines = new Float64Array(size);
  if (!(vSquared > 0)) return { weights, cosines };
  const vNorm = Math.sqrt(vSquared);
  // g_i . v = sum_j a_j M_ij / ||g_j||
  let projectionSum = 0;
  const projections = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let dot = 0;
    for (let j = 0; j < size; j++)
      if ((norms[j] as number) > 0)
        dot += ((a[j] as number) * (m[i * size + j] as number)) / (norms[j] as number);
    projections[i] = dot / vNorm;
    projectionSum += projections[i] as number;
  }
  for (let j = 0; j < size; j++) {
    weights[j] =
      (norms[j] as number) > 0 ? (projectionSum * (a[j] as number)) / (vNorm * (norms[j] as number)) : 0;
    cosines[j] = (norms[j] as number) > 0 ? (projections[j] as number) / (norms[j] as number) : 0;
  }
  return { weights, cosines };
}
