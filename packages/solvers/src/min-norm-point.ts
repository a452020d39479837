import { type GramInput, gramScale, multiplyGram, readGram, readVector } from './gram-input.js';
import { minNormPair } from './min-norm-pair.js';
import { projectToSimplex } from './project-to-simplex.js';
import { refineOnSimplex } from './simplex-active-set.js';
import { solveSimplexQP } from './simplex-qp.js';

export type MinNormMethod = 'frank-wolfe' | 'projected-gradient';

export interface MinNormOptions {
  /** K > 2 only: 'frank-wolfe' (default; with away steps and exact line search) or 'projected-gradient'. */
  method?: MinNormMethod;
  /** Iteration cap for K > 2; default 1000. */
  maxIterations?: number;
  /** Stop when `gap` <= tolerance * max_i ||g_i||^2; default 1e-8. */
  tolerance?: number;
  /** Warm start on the simplex (e.g. the previous step's weights); default the better of uniform and best pair. */
  init?: ArrayLike<number>;
}

export interface MinNormResult {
  /** a on the simplex minimising ||sum_i a_i g_i||^2. */
  weights: Float64Array;
  /** ||sum_i a_i g_i||^2 at `weights`. */
  normSquared: number;
  /** Certified bound: normSquared - (true minimum) <= gap (0 for the closed forms). */
  gap: number;
  iterations: number;
  converged: boolean;
}

/**
 * The min-norm point of the convex hull of K gradients (MGDA, Sener & Koltun 2018), from the Gram matrix
 * M = G G^T only: min over the simplex of a^T M a.
 * - K = 1: a = [1]. K = 2: the closed form of `minNormPair`.
 * - K > 2: Frank-Wolfe with exact line search (as MGDA), plus away steps so convergence is linear rather than
 *   O(1/t) (Lacoste-Julien & Jaggi 2015); or accelerated projected gradient.
 * Degenerate inputs: all-zero gradients give the uniform weights (norm 0); identical gradients give equal
 * weights; a zero gradient or opposite gradients give a point with norm 0. Never NaN.
 */
export function minNormPoint(gram: GramInput, options: MinNormOptions = {}): MinNormResult {
  const { gram: matrix, size } = readGram(gram, 'minNormPoint: Gram matrix');
  const maxIterations = options.maxIterations ?? 1000;
  const tolerance = options.tolerance ?? 1e-8;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new RangeError(`minNormPoint: maxIterations must be a non-negative integer, got ${maxIterations}`);
  }
  if (!(tolerance >= 0)) throw new RangeError(`minNormPoint: tolerance must be >= 0, got ${tolerance}`);
  const method = options.method ?? 'frank-wolfe';
  if (method !== 'frank-wolfe' && method !== 'projected-gradient') {
    throw new RangeError(
      `minNormPoint: method must be 'frank-wolfe' or 'projected-gradient', got ${String(method)}`,
    );
  }
  const init =
    options.init === undefined
      ? undefined
      : projectToSimplex(readVector(options.init, size, 'minNormPoint: init'));
  const scale = gramScale(matrix, size);

  if (size === 1)
    return {
      weights: Float64Array.of(1),
      normSquared: matrix[0] as number,
      gap: 0,
      iterations: 0,
      converged: true,
    };
  if (scale === 0) {
    return {
      weights: new Float64Array(size).fill(1 / size),
      normSquared: 0,
      gap: 0,
      iterations: 0,
      converged: true,
    };
  }
  if (size === 2) {
    const pair = minNormPair(matrix[0] as number, matrix[1] as number, matrix[3] as number);
    return {
      weights: Float64Array.of(pair.gamma, 1 - pair.gamma),
      normSquared: pair.normSquared,
      gap: 0,
      iterations: 0,
      converged: true,
    };
  }
  const start = init ?? bestStart(matrix, size);
  const threshold = tolerance * scale;
  let result: MinNormResult;
  if (method === 'projected-gradient') {
    // a^T M a = 2 * (0.5 a^T M a); the QP gap is in the halved units.
    const qp = solveSimplexQP(matrix, new Float64Array(size), {
      maxIterations,
      tolerance: tolerance / 2,
      init: start,
    });
    result = {
      weights: qp.x,
      normSquared: 2 * qp.value,
      gap: 2 * qp.gap,
      iterations: qp.iterations,
      converged: qp.converged,
    };
  } else {
    result = awayStepFrankWolfe(matrix, size, start, maxIterations, threshold);
  }
  return polish(matrix, size, result, threshold);
}

/** The iterative methods find the optimal face fast but converge on it slowly; solve on the face exactly. */
function polish(matrix: Float64Array, size: number, result: MinNormResult, threshold: number): MinNormResult {
  if (result.gap === 0) return result;
  const refined = refineOnSimplex(matrix, new Float64Array(size), result.weights, threshold / 4);
  if (refined === null) return result;
  const product = multiplyGram(matrix, size, refined);
  const normSquared = Math.max(0, dot(refined, product));
  if (!(normSquared <= result.normSquared)) return result;
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < size; i++) smallest = Math.min(smallest, product[i] as number);
  const gap = Math.max(0, 2 * (normSquared - smallest));
  return { weights: refined, normSquared, gap, iterations: result.iterations, converged: gap <= threshold };
}

function awayStepFrankWolfe(
  matrix: Float64Array,
  size: number,
  start: Float64Array,
  maxIterations: number,
  threshold: number,
): MinNormResult {
  const weights = Float64Array.from(start);
  // Kept up to date incrementally: product = M a, normSquared = a^T M a.
  let product = multiplyGram(matrix, size, weights);
  let normSquared = dot(weights, product);
  let gap = Number.POSITIVE_INFINITY;
  let iterations = 0;
  for (; ; iterations++) {
    let toward = 0;
    let away = -1;
    for (let i = 0; i < size; i++) {
      if ((product[i] as number) < (product[toward] as number)) toward = i;
      if ((weights[i] as number) > 0 && (away < 0 || (product[i] as number) > (product[away] as number)))
        away = i;
    }
    const forwardGap = normSquared - (product[toward] as number);
    // f(a) - f* <= grad f(a).(a - s) = 2 (a^T M a - min_i (M a)_i).
    gap = Math.max(0, 2 * forwardGap);
    if (gap <= threshold || iterations >= maxIterations) break;
    const awayGap = (product[away] as number) - normSquared;
    if (forwardGap >= awayGap) {
      // Exact line search on the segment [a, e_toward]: the two-point rule.
      const pair = minNormPair(
        matrix[toward * size + toward] as number,
        product[toward] as number,
        normSquared,
      );
      const gamma = pair.gamma;
      for (let i = 0; i < size; i++) {
        weights[i] = (1 - gamma) * (weights[i] as number);
        product[i] = (1 - gamma) * (product[i] as number) + gamma * (matrix[i * size + toward] as number);
      }
      weights[toward] = (weights[toward] as number) + gamma;
      normSquared = pair.normSquared;
    } else {
      // Away step: move from a away from vertex `away`, at most until its weight hits 0.
      const awayWeight = weights[away] as number;
      const maxStep = awayWeight >= 1 ? 0 : awayWeight / (1 - awayWeight);
      const curvature = normSquared - 2 * (product[away] as number) + (matrix[away * size + away] as number);
      let step = curvature > 0 ? awayGap / curvature : maxStep;
      step = Math.min(Math.max(step, 0), maxStep);
      for (let i = 0; i < size; i++) {
        weights[i] = (1 + step) * (weights[i] as number);
        product[i] = (1 + step) * (product[i] as number) - step * (matrix[i * size + away] as number);
      }
      weights[away] = step === maxStep ? 0 : (weights[away] as number) - step;
      normSquared = dot(weights, product);
    }
    // Re-anchor against drift every so often (cheap for small K).
    if (iterations % 50 === 49) {
      product = multiplyGram(matrix, size, weights);
      normSquared = dot(weights, product);
    }
  }
  normSquared = Math.max(0, normSquared);
  return { weights, normSquared, gap, iterations, converged: gap <= threshold };
}

/** The better of the uniform point and the best pairwise min-norm point (MGDA's initialisation). */
function bestStart(matrix: Float64Array, size: number): Float64Array {
  const uniform = new Float64Array(size).fill(1 / size);
  let best = uniform;
  let bestValue = dot(uniform, multiplyGram(matrix, size, uniform));
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      const pair = minNormPair(
        matrix[i * size + i] as number,
        matrix[i * size + j] as number,
        matrix[j * size + j] as number,
      );
      // Strictly better only: ties keep the symmetric uniform start (identical gradients stay equally weighted).
      if (pair.normSquared < bestValue * (1 - 1e-12)) {
        bestValue = pair.normSquared;
        best = new Float64Array(size);
        best[i] = pair.gamma;
        best[j] = 1 - pair.gamma;
      }
    }
  }
  return best;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
