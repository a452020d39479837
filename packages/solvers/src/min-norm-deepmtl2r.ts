import { type GramInput, readGram } from './gram-input.js';

export interface MinNormDeepmtl2rOptions {
  /**
   * Safety cap on the iterations. The reference loops until its stopping rule holds (its MAX_ITER = 250 is
   * never reached because its counter is never incremented); default 100000.
   */
  maxIterations?: number;
}

export interface MinNormDeepmtl2rResult {
  /** The reference's solution on the simplex (clamped pair rule, stopping rule as the reference). */
  weights: Float64Array;
  /** The cost the reference returns alongside (the last line search's value). */
  cost: number;
  iterations: number;
  /** false when `maxIterations` stopped the loop before the reference's stopping rule held. */
  converged: boolean;
}

/** DeepMTL2R's two-point rule: the exact segment minimiser, except at the ends, where it returns 0.999 / 0.001. */
function clampedPair(aa: number, ab: number, bb: number): { gamma: number; cost: number } {
  if (ab >= aa) return { gamma: 0.999, cost: aa };
  if (ab >= bb) return { gamma: 0.001, cost: bb };
  const gamma = -((ab - bb) / (aa + bb - 2 * ab));
  return { gamma, cost: bb + gamma * (ab - bb) };
}

/** Euclidean projection onto the simplex, by the reference's sort-and-threshold rule. */
function projectSorted(y: Float64Array): Float64Array {
  const m = y.length;
  const sorted = Float64Array.from(y).sort().reverse();
  let sum = 0;
  for (const value of y) sum += value;
  let threshold = (sum - 1) / m;
  let running = 0;
  for (let i = 0; i < m - 1; i++) {
    running += sorted[i] as number;
    const candidate = (running - 1) / (i + 1);
    if (candidate > (sorted[i + 1] as number)) {
      threshold = candidate;
      break;
    }
  }
  return y.map((value) => Math.max(value - threshold, 0));
}

/** The reference's step: along the descent direction projected on sum = 0, to the first face hit, then projected. */
function nextPoint(current: Float64Array, descent: Float64Array): Float64Array {
  const n = current.length;
  let mean = 0;
  for (const value of descent) mean += value / n;
  const projected = descent.map((value) => value - mean);
  // The first face hit: from the coordinates moving down (to 0) if any, else 1; then those moving up (to 1).
  let towardZero = Number.POSITIVE_INFINITY;
  let towardOne = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const p = projected[i] as number;
    const c = current[i] as number;
    if (p < 0 && -c / p > 1e-7) towardZero = Math.min(towardZero, -c / p);
    if (p > 0 && (1 - c) / p > 1e-7) towardOne = Math.min(towardOne, (1 - c) / p);
  }
  let step = Number.isFinite(towardZero) ? towardZero : 1;
  if (Number.isFinite(towardOne)) step = Math.min(step, towardOne);
  return projectSorted(projected.map((p, i) => p * step + (current[i] as number)));
}

function quadratic(m: Float64Array, n: number, x: Float64Array, y: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) sum += (x[i] as number) * (y[j] as number) * (m[i * n + j] as number);
  return sum;
}

/**
 * The min-norm solver DeepMTL2R's MGDA and LOG_MGDA call (`MinNormSolver.find_min_norm_element`, from
 * Sener & Koltun's code), reproduced for `compat: 'deepmtl2r'`: start from the best pair under the clamped
 * two-point rule (weights 0.999 / 0.001 where the exact rule gives 1 / 0), then projected-gradient steps with
 * that same clamped line search until the L1 change of the weights is below 1e-5, returning the weights
 * before the last step. It is not the exact min-norm point (`minNormPoint` is): with K = 2 a dominated task
 * keeps weight 0.001, and K > 2 stops within about 1e-5 of the optimum.
 */
export function minNormPointDeepmtl2r(
  gram: GramInput,
  options: MinNormDeepmtl2rOptions = {},
): MinNormDeepmtl2rResult {
  const { gram: m, size: n } = readGram(gram, 'minNormPointDeepmtl2r: Gram matrix');
  const maxIterations = options.maxIterations ?? 100_000;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new RangeError(
      `minNormPointDeepmtl2r: maxIterations must be a non-negative integer, got ${maxIterations}`,
    );
  }
  if (n === 1) return { weights: Float64Array.of(1), cost: m[0] as number, iterations: 0, converged: true };
  // Best pair (strictly smaller cost wins, pairs in (i, j) order). The reference starts from a bound of 1e8
  // and fails when every pair costs more; starting from +Infinity keeps the first pair then.
  let best = { i: 0, j: 1, gamma: 0, cost: Number.POSITIVE_INFINITY };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const pair = clampedPair(m[i * n + i] as number, m[i * n + j] as number, m[j * n + j] as number);
      if (pair.cost < best.cost) best = { i, j, gamma: pair.gamma, cost: pair.cost };
    }
  }
  let weights: Float64Array = new Float64Array(n);
  weights[best.i] = best.gamma;
  weights[best.j] = 1 - best.gamma;
  if (n < 3) return { weights, cost: best.cost, iterations: 0, converged: true };

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const descent = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += (m[i * n + j] as number) * (weights[j] as number);
      descent[i] = -row;
    }
    const candidate = nextPoint(weights, descent);
    const line = clampedPair(
      quadratic(m, n, weights, weights),
      quadratic(m, n, weights, candidate),
      quadratic(m, n, candidate, candidate),
    );
    const updated = weights.map((w, i) => line.gamma * w + (1 - line.gamma) * (candidate[i] as number));
    let change = 0;
    for (let i = 0; i < n; i++) change += Math.abs((updated[i] as number) - (weights[i] as number));
    if (change < 1e-5) return { weights, cost: line.cost, iterations: iteration + 1, converged: true };
    weights = updated;
  }
  return { weights, cost: quadratic(m, n, weights, weights), iterations: maxIterations, converged: false };
}
