import { type GramInput, gramScale, multiplyGram, readGram } from './gram-input.js';
import { solveSimplexLinearNorm } from './simplex-linear-norm.js';

/** How the CAGrad direction is divided at the end (LibMTL's `rescale` 0, 1, 2). */
export type CagradRescale = 'none' | 'one-plus-c-squared' | 'one-plus-c';

export interface CagradOptions {
  /** Divide d by 1 (none), 1 + c^2 (default, as the reference) or 1 + c. */
  rescale?: CagradRescale;
  /** Cap on the bisection rounds of the inner solver (each an exact simplex QP); default 200. */
  maxIterations?: number;
  /** Stop when the inner problem's Frank-Wolfe gap <= tolerance * max(|g_i.g0|, c ||g0|| max_i ||g_i||); default 1e-9. */
  tolerance?: number;
  /** Warm start for the simplex weights w; default uniform. */
  init?: ArrayLike<number>;
}

export interface CagradResult {
  /** Coefficients on the original gradients: d = sum_i weights_i g_i (rescaled). */
  weights: Float64Array;
  /** The inner problem's minimiser w on the simplex (keep it to warm-start the next step). */
  simplexWeights: Float64Array;
  /** min_i g_i.d before rescaling: the worst task's first-order improvement, equal to the inner optimum. */
  worstImprovement: number;
  /** Certified bound on the inner objective's distance to its minimum. */
  gap: number;
  iterations: number;
  converged: boolean;
}

/**
 * CAGrad (Liu et al. 2021, "Conflict-Averse Gradient Descent"): the direction d in the ball
 * ||d - g0|| <= c ||g0|| around the mean gradient g0 that maximises the worst task's improvement min_i g_i.d.
 * Its dual is min over the simplex of F(w) = g_w.g0 + sqrt(phi) ||g_w||, phi = c^2 ||g0||^2, g_w = sum w_i g_i,
 * and then d = g0 + sqrt(phi) / ||g_w|| g_w. The inner problem is `solveSimplexLinearNorm`.
 * Degenerate inputs: if g_w = 0 at the optimum (or all gradients are zero), d = g0. Opposite equal gradients
 * have g0 = 0, so d = 0. Never NaN.
 */
export function cagradWeights(gram: GramInput, c = 0.4, options: CagradOptions = {}): CagradResult {
  const { gram: matrix, size } = readGram(gram, 'cagrad: Gram matrix');
  if (!Number.isFinite(c) || c < 0) throw new RangeError(`cagrad: c must be a finite number >= 0, got ${c}`);
  const rescale = options.rescale ?? 'one-plus-c-squared';
  const divisor =
    rescale === 'none'
      ? 1
      : rescale === 'one-plus-c-squared'
        ? 1 + c * c
        : rescale === 'one-plus-c'
          ? 1 + c
          : Number.NaN;
  if (Number.isNaN(divisor))
    throw new RangeError(
      `cagrad: rescale must be 'none', 'one-plus-c-squared' or 'one-plus-c', got ${String(rescale)}`,
    );
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-9;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new RangeError(`cagrad: maxIterations must be a non-negative integer, got ${maxIterations}`);
  }
  if (!(tolerance >= 0)) throw new RangeError(`cagrad: tolerance must be >= 0, got ${tolerance}`);

  const scale = gramScale(matrix, size);
  const uniform = new Float64Array(size).fill(1 / size);
  // M b with b = 1/K: (g_i . g0) for each task.
  const towardMean = multiplyGram(matrix, size, uniform);
  let meanNormSquared = 0;
  for (let i = 0; i < size; i++) meanNormSquared += (towardMean[i] as number) / size;
  const radius = c * Math.sqrt(Math.max(0, meanNormSquared));
  const inner = solveSimplexLinearNorm(matrix, towardMean, radius, {
    maxIterations,
    tolerance,
    ...(options.init === undefined ? {} : { init: options.init }),
  });
  const w = inner.w;

  const gwNorm = Math.sqrt(inner.normSquared);
  // g_w = 0: the ball's direction is undefined; take the centre g0.
  const lambda = gwNorm > 1e-12 * Math.sqrt(scale) ? radius / gwNorm : 0;
  const weights = new Float64Array(size);
  for (let i = 0; i < size; i++) weights[i] = 1 / size + lambda * (w[i] as number);
  const improvements = multiplyGram(matrix, size, weights);
  let worstImprovement = Number.POSITIVE_INFINITY;
  for (let i = 0; i < size; i++) worstImprovement = Math.min(worstImprovement, improvements[i] as number);
  for (let i = 0; i < size; i++) weights[i] = (weights[i] as number) / divisor;
  return {
    weights,
    simplexWeights: w,
    worstImprovement,
    gap: inner.gap,
    iterations: inner.iterations,
    converged: inner.converged,
  };
}
