import { type GramInput, readGram } from './gram-input.js';

/** ||g_i|| for each task, from the Gram diagonal. */
export function gramNorms(gram: GramInput): Float64Array {
  const { gram: matrix, size } = readGram(gram);
  const norms = new Float64Array(size);
  for (let i = 0; i < size; i++) norms[i] = Math.sqrt(matrix[i * size + i] as number);
  return norms;
}

/**
 * cos(g_i, g_j) = M_ij / (||g_i|| ||g_j||), row-major K*K. A pair involving a zero gradient has cosine 0
 * (no direction, so no conflict); the diagonal is 1 for non-zero gradients. Clamped to [-1, 1].
 */
export function cosineFromGram(gram: GramInput): Float64Array {
  const { gram: matrix, size } = readGram(gram);
  const cosines = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const denominator = Math.sqrt((matrix[i * size + i] as number) * (matrix[j * size + j] as number));
      cosines[i * size + j] =
        denominator > 0 ? Math.min(1, Math.max(-1, (matrix[i * size + j] as number) / denominator)) : 0;
    }
  }
  return cosines;
}
