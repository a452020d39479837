import type { CagradRescale } from './cagrad-weights.js';
import { type GramInput, multiplyGram, readGram } from './gram-input.js';
import { solveSimplexLinearNorm } from './simplex-linear-norm.js';

export interface CagradDeepmtl2rResult {
  /** Coefficients on the task gradients of the reference's direction (before its K multiplier and clip). */
  weights: Float64Array;
  /** The inner problem's minimiser on the simplex. */
  simplexWeights: Float64Array;
  converged: boolean;
}

/**
 * CAGrad as DeepMTL2R's (and LibMTL's) `cagrad` computes it, for `compat: 'deepmtl2r'`: the radius is
 * c * sqrt(mean(M) + 1e-8) + 1e-8 and lambda = radius / (||g_w|| + 1e-8), where `cagradWeights` uses the
 * paper's c ||g0|| and radius / ||g_w||. The inner problem is solved exactly where the reference calls
 * SLSQP with its default tolerance; the reference's 1e-8 under the square root of the inner objective is
 * left out (it moves the minimiser by about 1e-8 / (2 ||g_w||^2) relative).
 */
export function cagradDeepmtl2rWeights(
  gram: GramInput,
  c: number,
  rescale: CagradRescale = 'one-plus-c-squared',
): CagradDeepmtl2rResult {
  const { gram: matrix, size } = readGram(gram, 'cagradDeepmtl2rWeights: Gram matrix');
  if (!Number.isFinite(c) || c < 0) throw new RangeError(`cagrad: c must be a finite number >= 0, got ${c}`);
  let total = 0;
  for (const value of matrix) total += value;
  const radius = c * Math.sqrt(total / (size * size) + 1e-8) + 1e-8;
  const uniform = new Float64Array(size).fill(1 / size);
  const inner = solveSimplexLinearNorm(matrix, multiplyGram(matrix, size, uniform), radius, {
    tolerance: 1e-12,
  });
  const lambda = radius / (Math.sqrt(inner.normSquared) + 1e-8);
  const divisor = rescale === 'none' ? 1 : rescale === 'one-plus-c' ? 1 + c : 1 + c * c;
  const weights = Float64Array.from(
    { length: size },
    (_, i) => (1 / size + lambda * (inner.w[i] as number)) / divisor,
  );
  return { weights, simplexWeights: inner.w, converged: inner.converged };
}
