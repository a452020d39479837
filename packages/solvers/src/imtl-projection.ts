/**
 * The aggregate's projection onto the first non-zero unit task gradient, g . g_i / ||g_i|| with
 * g = sum_j w_j g_j, from the Gram matrix: the common value IMTL-G equalises (0 when every gradient is zero).
 */
export function imtlProjection(gram: ArrayLike<number>, weights: ArrayLike<number>): number {
  const size = weights.length;
  for (let i = 0; i < size; i++) {
    const squaredNorm = gram[i * size + i] as number;
    if (!(squaredNorm > 0)) continue;
    let inner = 0;
    for (let j = 0; j < size; j++) inner += (weights[j] as number) * (gram[i * size + j] as number);
    return inner / Math.sqrt(squaredNorm);
  }
  return 0;
}
