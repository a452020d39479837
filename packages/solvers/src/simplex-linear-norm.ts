import { type GramInput, gramScale, multiplyGram, readGram, readVector } from './gram-input.js';
import { minNormPoint } from './min-norm-point.js';
import { projectToSimplex } from './project-to-simplex.js';
import { solveSimplexQP } from './simplex-qp.js';

export interface SimplexLinearNormOptions {
  /** Cap on the bisection rounds (each an exact simplex QP); default 200. */
  maxIterations?: number;
  /** Stop when the Frank-Wolfe gap <= tolerance * scale (scale = max(|linear_i|, normWeight max_i ||g_i||)); default 1e-9. */
  tolerance?: number;
  /** Warm start on the simplex (e.g. the previous step's w); default uniform. */
  init?: ArrayLike<number>;
}

export interface SimplexLinearNormResult {
  /** The minimiser w on the simplex. */
  w: Float64Array;
  /** linear.w + normWeight ||G^T w|| at w. */
  value: number;
  /** ||G^T w||^2 = w^T M w. */
  normSquared: number;
  /** A certified bound on value - minimum: the Frank-Wolfe gap, or the duality gap where that is smaller. */
  gap: number;
  iterations: number;
  converged: boolean;
}

/**
 * min over the simplex of F(w) = linear.w + normWeight ||G^T w||, from the Gram matrix M = G G^T. The inner
 * problem of CAGrad (linear = M 1/K, normWeight = c ||g0||) and of WC-MGDA (linear = -(r * L),
 * normWeight = u / k, Momma et al. 2022), i.e. a small second-order cone program.
 *
 * Method: ||x|| = min over rho > 0 of ||x||^2 / (2 rho) + rho / 2 (attained at rho = ||x||), so
 * min F = min over rho of h(rho), h(rho) = min_w [linear.w + normWeight w^T M w / (2 rho)] + normWeight rho / 2,
 * a simplex QP per rho (solved exactly by `solveSimplexQP`). h is convex with
 * h'(rho) = normWeight (1 - N(rho)^2 / rho^2) / 2, N(rho) = ||G^T w(rho)||, so N(rho) / rho is non-increasing
 * and the optimum is where it crosses 1: bisection on log rho between the hull's min-norm (N is never
 * below it) and the largest gradient norm (N is never above it).
 *
 * Limitation: when the optimum has g_w = 0 on a degenerate face (0 inside the hull of more gradients than
 * their dimension, i.e. K > rank(G) + 1 at a Pareto-stationary point) the per-rho QPs become singular and
 * the result can stop short of the tolerance: `converged` is then false and `gap` says how far it may be.
 * With affinely independent gradients (the usual case for P >> K) it converges.
 */
export function solveSimplexLinearNorm(
  gram: GramInput,
  linear: ArrayLike<number>,
  normWeight: number,
  options: SimplexLinearNormOptions = {},
): SimplexLinearNormResult {
  const { gram: matrix, size } = readGram(gram, 'solveSimplexLinearNorm: Gram matrix');
  const linearTerm = readVector(linear, size, 'solveSimplexLinearNorm: linear');
  if (!Number.isFinite(normWeight) || normWeight < 0) {
    throw new RangeError(
      `solveSimplexLinearNorm: normWeight must be a finite number >= 0, got ${normWeight}`,
    );
  }
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-9;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new RangeError(
      `solveSimplexLinearNorm: maxIterations must be a non-negative integer, got ${maxIterations}`,
    );
  }
  if (!(tolerance >= 0))
    throw new RangeError(`solveSimplexLinearNorm: tolerance must be >= 0, got ${tolerance}`);

  const largestNorm = Math.sqrt(gramScale(matrix, size));
  let scale = normWeight * largestNorm;
  for (let i = 0; i < size; i++) scale = Math.max(scale, Math.abs(linearTerm[i] as number));
  // Smoothing keeps the gradient of ||g_w|| finite at g_w = 0 without moving the optimum measurably.
  const smoothing = 1e-24 * largestNorm * largestNorm + Number.MIN_VALUE;
  // The smoothed objective exceeds F by at most normWeight sqrt(smoothing): added to its Frank-Wolfe gap, the
  // bound holds for F itself.
  const smoothingSlack = normWeight * Math.sqrt(smoothing);

  const evaluate = (w: Float64Array): { value: number; gradient: Float64Array; normSquared: number } => {
    const product = multiplyGram(matrix, size, w);
    let value = 0;
    let normSquared = 0;
    for (let i = 0; i < size; i++) {
      value += (w[i] as number) * (linearTerm[i] as number);
      normSquared += (w[i] as number) * (product[i] as number);
    }
    normSquared = Math.max(0, normSquared);
    const norm = Math.sqrt(normSquared + smoothing);
    const gradient = new Float64Array(size);
    for (let i = 0; i < size; i++)
      gradient[i] = (linearTerm[i] as number) + (normWeight * (product[i] as number)) / norm;
    return { value: value + normWeight * Math.sqrt(normSquared), gradient, normSquared };
  };
  const gapAt = (w: Float64Array, gradient: Float64Array): number => {
    let dot = 0;
    let smallest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < size; i++) {
      dot += (w[i] as number) * (gradient[i] as number);
      smallest = Math.min(smallest, gradient[i] as number);
    }
    return Math.max(0, dot - smallest) + smoothingSlack;
  };

  let w =
    options.init === undefined
      ? new Float64Array(size).fill(1 / size)
      : projectToSimplex(readVector(options.init, size, 'solveSimplexLinearNorm: init'));
  let current = evaluate(w);
  let gap = gapAt(w, current.gradient);
  const threshold = tolerance * scale;
  let iterations = 0;
  if (gap > threshold && size > 1 && normWeight > 0 && largestNorm > 0) {
    let low = Math.max(Math.sqrt(minNormPoint(matrix).normSquared), 1e-12 * largestNorm);
    let bestLowerBound = Number.NEGATIVE_INFINITY;
    let high = largestNorm;
    while (gap > threshold && iterations < maxIterations && high > low * (1 + 1e-13)) {
      iterations++;
      const rho = Math.sqrt(low * high);
      const quadratic = new Float64Array(size * size);
      for (let index = 0; index < quadratic.length; index++)
        quadratic[index] = (normWeight / rho) * (matrix[index] as number);
      // The active-set finish usually solves each QP within a few dozen iterations; the cap bounds the rest.
      const candidate = solveSimplexQP(quadratic, linearTerm, {
        init: w,
        tolerance: 1e-13,
        maxIterations: 1000,
      }).x;
      const evaluated = evaluate(candidate);
      const norm = Math.sqrt(evaluated.normSquared);
      if (norm >= rho) low = rho;
      else {
        high = rho;
        // Dual certificate: F* = max over ||z|| <= 1 of min_i (linear_i + normWeight g_i.z). With
        // z = G^T w(rho) / rho, feasible because ||G^T w(rho)|| < rho, it gives a lower bound on F*; this
        // stays valid where the smoothed gradient does not (an optimum with g_w = 0, 0 in the hull).
        const product = multiplyGram(matrix, size, candidate);
        let lower = Number.POSITIVE_INFINITY;
        for (let i = 0; i < size; i++)
          lower = Math.min(lower, (linearTerm[i] as number) + (normWeight * (product[i] as number)) / rho);
        bestLowerBound = Math.max(bestLowerBound, lower);
      }
      if (evaluated.value <= current.value) {
        w = candidate;
        current = evaluated;
      }
      gap = Math.min(gapAt(w, current.gradient), Math.max(0, current.value - bestLowerBound));
    }
  } else if (gap > threshold && size > 1) {
    // No norm term (or all gradients zero): F is linear, minimised at the vertex with the smallest entry.
    w = solveSimplexQP(new Float64Array(size * size), linearTerm).x;
    current = evaluate(w);
    gap = gapAt(w, current.gradient);
  }
  return {
    w,
    value: current.value,
    normSquared: current.normSquared,
    gap,
    iterations,
    converged: gap <= threshold,
  };
}
