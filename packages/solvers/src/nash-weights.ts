import { type GramInput, gramScale, multiplyGram, readGram } from './gram-input.js';
import { solveLinearSystem } from './linear-algebra.js';
import { minNormPoint } from './min-norm-point.js';

export interface NashOptions {
  /** Warm start (the previous step's alpha); entries that are not positive and finite are reset. */
  init?: ArrayLike<number>;
  /** Newton iteration cap; default 100 (quadratic convergence: typically under 15). */
  maxIterations?: number;
  /** Stop when max_i |alpha_i (M alpha)_i - 1| <= tolerance; default 1e-10. */
  tolerance?: number;
}

/**
 * - `solved`: alpha satisfies the equations to tolerance.
 * - `pareto-stationary`: 0 is in the convex hull of the (non-zero) gradients, so no positive solution exists
 *   (the bargaining problem is unbounded); `weights` is `init` when given, else the min-norm (MGDA) weights.
 * - `not-converged`: the iteration cap was hit (or round-off stopped Newton); `weights` is the iterate with
 *   the smallest residual seen, start included. Every iterate is positive (the damped steps keep it so).
 */
export type NashStatus = 'solved' | 'pareto-stationary' | 'not-converged';

export interface NashResult {
  weights: Float64Array;
  status: NashStatus;
  /** max_i |alpha_i (M alpha)_i - 1| over the tasks with a non-zero gradient. */
  residual: number;
  iterations: number;
}

/**
 * Nash-MTL (Navon et al. 2022, "Multi-Task Learning as a Bargaining Game"): alpha > 0 with
 * alpha_i (G G^T alpha)_i = 1 for every task, i.e. each task's improvement g_i.d = 1 / alpha_i for
 * d = sum alpha_i g_i. These are the stationarity conditions of the strictly convex, self-concordant
 * f(alpha) = 0.5 alpha^T M alpha - sum_i log alpha_i (its gradient is M alpha - 1/alpha), so we minimise f by
 * damped Newton (step 1 / (1 + Newton decrement), which keeps alpha > 0 and converges quadratically),
 * instead of the paper's sequence of cvxpy problems. The solution scales as 1 / sqrt(scale of M). Pass the
 * raw Gram matrix to match the reference: it divides G G^T by its Frobenius norm n but multiplies n back
 * inside its constraint (alpha_i n (M/n alpha)_i >= 1), so its alpha solves this same raw fixed point.
 * Zero gradients (||g_i||^2 <= 1e-12 max_k ||g_k||^2) cannot satisfy their equation; they get weight 0 and the
 * others are solved among themselves. All zero: all weights 0.
 */
export function nashWeights(gram: GramInput, options: NashOptions = {}): NashResult {
  const { gram: matrix, size } = readGram(gram, 'nash: Gram matrix');
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new RangeError(`nash: maxIterations must be a non-negative integer, got ${maxIterations}`);
  }
  if (!(tolerance > 0)) throw new RangeError(`nash: tolerance must be > 0, got ${tolerance}`);
  if (options.init !== undefined && options.init.length !== size) {
    throw new RangeError(`nash: init must have length ${size}, got ${options.init.length}`);
  }
  const negligible = 1e-12 * gramScale(matrix, size);
  const active: number[] = [];
  for (let i = 0; i < size; i++) if ((matrix[i * size + i] as number) > negligible) active.push(i);
  const weights = new Float64Array(size);
  if (active.length === 0) return { weights, status: 'solved', residual: 0, iterations: 0 };

  const n = active.length;
  const sub = new Float64Array(n * n);
  active.forEach((i, a) => {
    active.forEach((j, b) => {
      sub[a * n + b] = matrix[i * size + j] as number;
    });
  });

  // No positive solution iff some non-negative combination of the gradients is 0, i.e. 0 is in their hull.
  const hull = minNormPoint(sub);
  if (hull.normSquared <= 1e-10 * gramScale(sub, n)) {
    if (options.init !== undefined) {
      for (let i = 0; i < size; i++)
        weights[i] = Number.isFinite(options.init[i]) ? (options.init[i] as number) : 0;
    } else {
      active.forEach((i, a) => {
        weights[i] = hull.weights[a] as number;
      });
    }
    return { weights, status: 'pareto-stationary', residual: Number.POSITIVE_INFINITY, iterations: 0 };
  }

  // Start: the warm start where usable, else 1 / ||g_i|| (exact when the gradients are orthogonal).
  const alpha = new Float64Array(n);
  active.forEach((i, a) => {
    const warm = options.init?.[i];
    alpha[a] =
      warm !== undefined && Number.isFinite(warm) && warm > 0
        ? warm
        : 1 / Math.sqrt(sub[a * n + a] as number);
  });
  let iterations = 0;
  let residual = residualOf(sub, n, alpha);
  let best = { alpha: Float64Array.from(alpha), residual };
  while (residual > tolerance && iterations < maxIterations) {
    iterations++;
    const product = multiplyGram(sub, n, alpha);
    const gradient = new Float64Array(n);
    const hessian = Float64Array.from(sub);
    for (let a = 0; a < n; a++) {
      const value = alpha[a] as number;
      gradient[a] = (product[a] as number) - 1 / value;
      hessian[a * n + a] = (hessian[a * n + a] as number) + 1 / (value * value);
    }
    // The Hessian is M + diag(1/alpha^2): symmetric positive definite, so this solve does not fail in exact
    // arithmetic; if round-off makes it, stop with what we have.
    const newton = solveLinearSystem(hessian, gradient, 0);
    if (newton === null) break;
    let decrementSquared = 0;
    for (let a = 0; a < n; a++) decrementSquared += (gradient[a] as number) * (newton[a] as number);
    const decrement = Math.sqrt(Math.max(0, decrementSquared));
    // Damped phase keeps the step inside the Dikin ellipsoid (|step_a| < alpha_a); pure Newton once close.
    let step = decrement >= 0.25 ? 1 / (1 + decrement) : 1;
    for (let attempt = 0; attempt < 50; attempt++) {
      let positive = true;
      for (let a = 0; a < n; a++)
        if (!((alpha[a] as number) - step * (newton[a] as number) > 0)) positive = false;
      if (positive) break;
      step /= 2;
    }
    for (let a = 0; a < n; a++) alpha[a] = (alpha[a] as number) - step * (newton[a] as number);
    residual = residualOf(sub, n, alpha);
    if (residual < best.residual) best = { alpha: Float64Array.from(alpha), residual };
  }
  active.forEach((i, a) => {
    weights[i] = best.alpha[a] as number;
  });
  const status = best.residual <= tolerance ? 'solved' : 'not-converged';
  return { weights, status, residual: best.residual, iterations };
}

function residualOf(matrix: Float64Array, size: number, alpha: Float64Array): number {
  const product = multiplyGram(matrix, size, alpha);
  let worst = 0;
  for (let a = 0; a < size; a++)
    worst = Math.max(worst, Math.abs((alpha[a] as number) * (product[a] as number) - 1));
  return worst;
}
