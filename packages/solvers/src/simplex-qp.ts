import { type GramInput, multiplyGram, readGram, readVector } from './gram-input.js';
import { largestEigenvalueBound } from './linear-algebra.js';
import { projectToSimplex } from './project-to-simplex.js';
import { refineOnSimplex } from './simplex-active-set.js';

export interface SimplexQPOptions {
  /** Iteration cap; default 5000 (each iteration is O(K^2)). */
  maxIterations?: number;
  /** Stop when the Frank-Wolfe gap is <= tolerance * scale (scale = max |Q_ii|, |c_i|); default 1e-10. */
  tolerance?: number;
  /** Starting point (projected onto the simplex); default the uniform point 1/K. */
  init?: ArrayLike<number>;
}

export interface SimplexQPResult {
  /** The minimiser on the simplex. */
  x: Float64Array;
  /** 0.5 x^T Q x + c^T x at `x`. */
  value: number;
  /** Frank-Wolfe gap grad.x - min_i grad_i: a certified upper bound on value - min. */
  gap: number;
  iterations: number;
  converged: boolean;
}

/**
 * min over the simplex { x >= 0, sum x = 1 } of 0.5 x^T Q x + c^T x, for a symmetric positive semi-definite
 * Q (row-major K*K). Accelerated projected gradient (FISTA, step 1/lambda_max(Q)) with restarts whenever
 * the objective goes up, which finds the optimal face quickly; at iterations 0, 8, 16, 32, ... an active-set
 * solve on the current face tries to finish exactly. Stops on the Frank-Wolfe duality gap, which bounds the
 * distance to the optimum value for any convex objective (an exact, not heuristic, convergence test).
 */
export function solveSimplexQP(
  q: GramInput,
  c: ArrayLike<number>,
  options: SimplexQPOptions = {},
): SimplexQPResult {
  const { gram: matrix, size } = readGram(q, 'solveSimplexQP: Q');
  const linear = readVector(c, size, 'solveSimplexQP: c');
  const maxIterations = options.maxIterations ?? 5000;
  const tolerance = options.tolerance ?? 1e-10;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new RangeError(
      `solveSimplexQP: maxIterations must be a non-negative integer, got ${maxIterations}`,
    );
  }
  if (!(tolerance >= 0)) throw new RangeError(`solveSimplexQP: tolerance must be >= 0, got ${tolerance}`);
  let scale = 0;
  for (let i = 0; i < size; i++)
    scale = Math.max(scale, Math.abs(matrix[i * size + i] as number), Math.abs(linear[i] as number));
  const threshold = tolerance * scale;

  const objective = (x: Float64Array): { value: number; gradient: Float64Array } => {
    const gradient = multiplyGram(matrix, size, x);
    let value = 0;
    for (let i = 0; i < size; i++) {
      value += (x[i] as number) * (0.5 * (gradient[i] as number) + (linear[i] as number));
      gradient[i] = (gradient[i] as number) + (linear[i] as number);
    }
    return { value, gradient };
  };
  const frankWolfeGap = (x: Float64Array, gradient: Float64Array): number => {
    let dot = 0;
    let smallest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < size; i++) {
      dot += (gradient[i] as number) * (x[i] as number);
      smallest = Math.min(smallest, gradient[i] as number);
    }
    return Math.max(0, dot - smallest);
  };

  let x =
    options.init === undefined
      ? new Float64Array(size).fill(1 / size)
      : projectToSimplex(readVector(options.init, size, 'solveSimplexQP: init'));
  let current = objective(x);
  let gap = frankWolfeGap(x, current.gradient);
  const lipschitz = largestEigenvalueBound(matrix, size);
  // Q = 0: the problem is linear and its minimum is the vertex with the smallest c_i.
  if (lipschitz === 0) {
    const best = argmin(linear);
    const vertex = new Float64Array(size);
    vertex[best] = 1;
    return { x: vertex, value: linear[best] as number, gap: 0, iterations: 0, converged: true };
  }
  const step = 1 / lipschitz;
  let momentumPoint = x;
  let momentumWeight = 1;
  const polish = (
    from: Float64Array,
    value: number,
  ): { x: Float64Array; evaluated: ReturnType<typeof objective> } | null => {
    const refined = refineOnSimplex(matrix, linear, from, threshold / 2);
    if (refined === null) return null;
    const evaluated = objective(refined);
    return evaluated.value <= value ? { x: refined, evaluated } : null;
  };
  // A warm start is often on the optimal face already.
  if (gap > threshold) {
    const polished = polish(x, current.value);
    if (polished !== null) {
      x = polished.x;
      current = polished.evaluated;
      gap = frankWolfeGap(x, current.gradient);
      momentumPoint = x;
    }
  }
  let iterations = 0;
  while (gap > threshold && iterations < maxIterations) {
    iterations++;
    const atMomentum = momentumPoint === x ? current : objective(momentumPoint);
    const trial = new Float64Array(size);
    for (let i = 0; i < size; i++)
      trial[i] = (momentumPoint[i] as number) - step * (atMomentum.gradient[i] as number);
    const next = projectToSimplex(trial);
    const evaluated = objective(next);
    if (evaluated.value > current.value) {
      // Adaptive restart (O'Donoghue & Candes 2015): drop the momentum, retry from x.
      if (momentumPoint !== x) {
        momentumPoint = x;
        momentumWeight = 1;
        continue;
      }
    }
    const nextWeight = 0.5 * (1 + Math.sqrt(1 + 4 * momentumWeight * momentumWeight));
    const extrapolation = (momentumWeight - 1) / nextWeight;
    const extrapolated = new Float64Array(size);
    for (let i = 0; i < size; i++)
      extrapolated[i] = (next[i] as number) + extrapolation * ((next[i] as number) - (x[i] as number));
    momentumPoint = extrapolation === 0 ? next : extrapolated;
    momentumWeight = nextWeight;
    x = next;
    current = evaluated;
    gap = frankWolfeGap(x, current.gradient);
    // Projected gradient finds the optimal face fast but converges on it slowly: at iterations 8, 16, 32, ...
    // try solving on the current face exactly.
    if (gap > threshold && (iterations & (iterations - 1)) === 0 && iterations >= 8) {
      const polished = polish(x, current.value);
      if (polished !== null) {
        x = polished.x;
        current = polished.evaluated;
        gap = frankWolfeGap(x, current.gradient);
        momentumPoint = x;
        momentumWeight = 1;
      }
    }
  }
  if (gap > threshold) {
    const polished = polish(x, current.value);
    if (polished !== null) {
      x = polished.x;
      current = polished.evaluated;
      gap = frankWolfeGap(x, current.gradient);
    }
  }
  return { x, value: current.value, gap, iterations, converged: gap <= threshold };
}

function argmin(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) < (values[best] as number)) best = i;
  return best;
}
