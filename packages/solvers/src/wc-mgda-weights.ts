import { type GramInput, readGram, readVector } from './gram-input.js';
import { solveSimplexLinearNorm } from './simplex-linear-norm.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface WcMgdaOptions {
  /** Weight u of the norm term (DeepMTL2R passes 0.1); must be >= 0. */
  u?: number;
  /** Ridge added to the scaled Gram matrix, as the reference's sqrtm(G2 + 1e-12 I); default 0. */
  ridge?: number;
  /** Warm start on the simplex (the previous step's alpha). */
  init?: ArrayLike<number>;
}

export interface WcMgdaResult {
  /** The maximiser alpha on the simplex. */
  alpha: Float64Array;
  /** alpha.c - u ||K alpha|| / ||K||_2 at alpha (c = r * L / ||r * L||). */
  objective: number;
  /** Certified bound on (optimum - objective). */
  gap: number;
  converged: boolean;
  iterations: number;
}

/**
 * The WC-MGDA subproblem (Momma, Dong, Liu 2022) on the Gram matrix M = G G^T:
 *
 *   max over the simplex of  alpha.c - u ||K alpha|| / ||K||_2,   c = r * L / ||r * L||,
 *   K = sqrt(diag(s) M diag(s) + ridge I),  s = r / ||r * L||,
 *
 * so ||K alpha||^2 = alpha^T (diag(s) M diag(s) + ridge I) alpha and ||K||_2 = sqrt(lambda_max) of that
 * matrix: no matrix square root is needed. Normalising c and K makes the problem invariant to the scale of
 * the losses, of the gradients and of r. It is a small second-order cone program, solved to a certified
 * gap by `solveSimplexLinearNorm` (minimising the negated objective).
 */
export function wcMgdaWeights(
  gram: GramInput,
  losses: ArrayLike<number>,
  preference: ArrayLike<number>,
  options: WcMgdaOptions = {},
): WcMgdaResult {
  const { gram: matrix, size } = readGram(gram, 'wcMgdaWeights: Gram matrix');
  const lossVector = readVector(losses, size, 'wcMgdaWeights: losses');
  const r = readVector(preference, size, 'wcMgdaWeights: preference');
  const u = options.u ?? 0.1;
  const ridge = options.ridge ?? 0;
  if (!(u >= 0) || !Number.isFinite(u)) throw new RangeError(`wcMgdaWeights: u must be >= 0, got ${u}`);
  if (!(ridge >= 0)) throw new RangeError(`wcMgdaWeights: ridge must be >= 0, got ${ridge}`);

  let weightedNorm = 0;
  for (let i = 0; i < size; i++) weightedNorm += ((r[i] as number) * (lossVector[i] as number)) ** 2;
  weightedNorm = Math.sqrt(weightedNorm);
  // r * L = 0 (all losses zero): nothing to trade off; the scale 1 keeps the problem finite.
  const scale = weightedNorm > 0 ? 1 / weightedNorm : 1;
  const linear = new Float64Array(size);
  const scaled = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    const si = (r[i] as number) * scale;
    linear[i] = -si * (lossVector[i] as number);
    for (let j = 0; j < size; j++) {
      scaled[i * size + j] = si * (matrix[i * size + j] as number) * (r[j] as number) * scale;
    }
    scaled[i * size + i] = (scaled[i * size + i] as number) + ridge;
  }
  const largest = Math.max(0, symmetricEigen(scaled, size).values[0] as number);
  // All gradients zero: the norm term vanishes and the problem is the linear one (weighted Chebyshev).
  const normWeight = largest > 0 ? u / Math.sqrt(largest) : 0;
  const solved = solveSimplexLinearNorm(scaled, linear, normWeight, {
    ...(options.init === undefined ? {} : { init: options.init }),
  });
  return {
    alpha: solved.w,
    objective: -solved.value,
    gap: solved.gap,
    converged: solved.converged,
    iterations: solved.iterations,
  };
}
