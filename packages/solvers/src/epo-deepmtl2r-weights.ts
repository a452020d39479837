import { type GramInput, readGram, readVector } from './gram-input.js';
import { solveSimplexQP } from './simplex-qp.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface EpoDeepMtl2rResult {
  /** Task weights on the simplex. */
  alpha: Float64Array;
  /** true while the losses are off the preference ray (sine of the angle > 0.01). */
  balancing: boolean;
  /** Sine of the angle between the losses and the ray 1 / r. */
  sine: number;
  /** false when M = 0 made the reference divide by zero; alpha is then r / sum r, as there. */
  solved: boolean;
}

/**
 * What DeepMTL2R's `epo_qp_get_alpha` computes in place of the EPO linear programs: with the ray
 * q = (1 / r) / ||1 / r|| and the sine mu = sqrt(1 - (L.q)^2 / ||L||^2) of the angle between L and q,
 * the anchor a = L - (L.q) q while mu > 0.01, else a = L; then
 *
 *   min over the simplex of || M' alpha - a' ||^2,   M' = M / ||M||_2,  a' = a / ||M||_2,
 *
 * a simplex QP with Q = 2 M'^T M' and c = -2 M'^T a', solved exactly here (the reference uses cvxpy/SCS to
 * about 1e-4). alpha is returned normalised to sum 1, as there. r is used as given (the result does not
 * depend on its scale).
 */
export function epoDeepMtl2rWeights(
  gram: GramInput,
  losses: ArrayLike<number>,
  preference: ArrayLike<number>,
): EpoDeepMtl2rResult {
  const { gram: matrix, size } = readGram(gram, 'epoDeepMtl2rWeights: Gram matrix');
  const l = readVector(losses, size, 'epoDeepMtl2rWeights: losses');
  const r = readVector(preference, size, 'epoDeepMtl2rWeights: preference');
  const ray = r.map((value) => 1 / value);
  const rayNorm = Math.hypot(...ray);
  for (let i = 0; i < size; i++) ray[i] = (ray[i] as number) / rayNorm;
  let along = 0;
  let lossNormSquared = 0;
  for (let i = 0; i < size; i++) {
    along += (l[i] as number) * (ray[i] as number);
    lossNormSquared += (l[i] as number) ** 2;
  }
  const sine = lossNormSquared > 0 ? Math.sqrt(Math.max(0, 1 - (along * along) / lossNormSquared)) : 0;
  const balancing = sine > 0.01;
  const anchor = balancing ? l.map((value, i) => value - along * (ray[i] as number)) : l;

  const spectral = Math.max(0, symmetricEigen(matrix, size).values[0] as number);
  if (!(spectral > 0)) {
    let sum = 0;
    for (const value of r) sum += value;
    return { alpha: r.map((value) => value / sum), balancing, sine, solved: false };
  }
  const scaled = matrix.map((value) => value / spectral);
  const target = anchor.map((value) => value / spectral);
  // ||M' x - a'||^2 = x^T M'^T M' x - 2 (M'^T a').x + const; M' is symmetric.
  const quadratic = new Float64Array(size * size);
  const linear = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let sum = 0;
      for (let k = 0; k < size; k++)
        sum += (scaled[k * size + i] as number) * (scaled[k * size + j] as number);
      quadratic[i * size + j] = 2 * sum;
      linear[i] = (linear[i] as number) - 2 * (scaled[j * size + i] as number) * (target[j] as number);
    }
  }
  const alpha = solveSimplexQP(quadratic, linear, { tolerance: 1e-14 }).x;
  let sum = 0;
  for (const value of alpha) sum += value;
  return { alpha: alpha.map((value) => value / sum), balancing, sine, solved: true };
}
