/** The min-norm point of the segment between two vectors a and b, from their inner products alone. */
export interface MinNormPairResult {
  /** Weight on a; b gets 1 - gamma. */
  gamma: number;
  /** ||gamma a + (1 - gamma) b||^2. */
  normSquared: number;
}

/**
 * min over gamma in [0, 1] of ||gamma a + (1 - gamma) b||^2 given aa = a.a, ab = a.b, bb = b.b
 * (Sener & Koltun 2018, Algorithm 1): gamma = (bb - ab) / ||a - b||^2, clipped to [0, 1].
 * When a and b are (numerically) the same vector every gamma is optimal and 0.5 is returned, so two
 * identical gradients get equal weight instead of a NaN.
 */
export function minNormPair(aa: number, ab: number, bb: number): MinNormPairResult {
  if (!Number.isFinite(aa) || !Number.isFinite(ab) || !Number.isFinite(bb) || aa < 0 || bb < 0) {
    throw new RangeError(`minNormPair needs finite inner products with aa, bb >= 0, got ${aa}, ${ab}, ${bb}`);
  }
  const distanceSquared = aa + bb - 2 * ab;
  // Round-off can make ||a - b||^2 slightly negative or tiny for equal vectors.
  if (!(distanceSquared > 1e-12 * Math.max(aa, bb)))
    return { gamma: 0.5, normSquared: Math.max(0, 0.25 * (aa + bb + 2 * ab)) };
  const gamma = Math.min(1, Math.max(0, (bb - ab) / distanceSquared));
  const normSquared = gamma * gamma * aa + 2 * gamma * (1 - gamma) * ab + (1 - gamma) * (1 - gamma) * bb;
  return { gamma, normSquared: Math.max(0, normSquared) };
}
