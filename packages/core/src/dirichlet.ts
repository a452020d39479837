import type { Rng } from './rng.js';

/**
 * Gamma(shape, 1) by Marsaglia and Tsang (2000): exact for shape >= 1 by rejection from a transformed
 * normal; shape < 1 uses Gamma(shape + 1) * U^(1/shape).
 */
export function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1) * rng.float() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng.float();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** r ~ Dirichlet(alpha, ..., alpha) on the K-simplex: K Gamma(alpha) draws, normalised. */
export function sampleDirichlet(rng: Rng, alpha: number, k: number): number[] {
  const draws = Array.from({ length: k }, () => sampleGamma(rng, alpha));
  const total = draws.reduce((a, b) => a + b, 0);
  // A total that underflows to 0 (tiny alpha) falls back to the simplex's centre rather than NaN.
  return total > 0 ? draws.map((g) => g / total) : draws.map(() => 1 / k);
}
