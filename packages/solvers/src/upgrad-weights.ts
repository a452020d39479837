import { solveBoundedQP } from './bounded-qp.js';
import { type GramInput, readGram, readVector } from './gram-input.js';

export interface UpgradOptions {
  /** Weights u of the vector J^T u to project (default the mean: 1/K each). */
  preference?: ArrayLike<number>;
  /** Below this trace the normalised Gram matrix counts as zero (default 1e-4, as TorchJD and LibMTL). */
  normEps?: number;
  /** Ridge added to the normalised Gram matrix so it is positive definite (default 1e-4). */
  regEps?: number;
}

/**
 * UPGrad (Quinton & Rey 2024, "Jacobian Descent for Multi-Objective Optimization"): each u_i e_i is
 * projected onto the dual cone of the task gradients, which by their Proposition 1 is the QP
 * min v^T G v subject to v >= u_i e_i on the Gram matrix, and the update is the sum of the projections:
 * weights w = sum_i v^(i). G is first divided by its trace (the squared Frobenius norm of the Jacobian)
 * and regularised by regEps * I, as the authors' code does, so the result does not depend on the
 * gradients' scale except through that ridge.
 */
export function upgradWeights(gram: GramInput, options: UpgradOptions = {}): Float64Array {
  const { gram: m, size } = readGram(gram);
  const preference =
    options.preference === undefined
      ? new Float64Array(size).fill(1 / size)
      : readVector(options.preference, size, 'UPGrad preference');
  const normEps = options.normEps ?? 1e-4;
  const regEps = options.regEps ?? 1e-4;
  let trace = 0;
  for (let i = 0; i < size; i++) trace += m[i * size + i] as number;
  const q = new Float64Array(size * size);
  for (let index = 0; index < q.length; index++)
    q[index] = trace < normEps ? 0 : (m[index] as number) / trace;
  for (let i = 0; i < size; i++) q[i * size + i] = (q[i * size + i] as number) + regEps;
  const weights = new Float64Array(size);
  const zero = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const lower = new Float64Array(size);
    lower[i] = preference[i] as number;
    const { x } = solveBoundedQP(q, zero, lower);
    for (let j = 0; j < size; j++) weights[j] = (weights[j] as number) + (x[j] as number);
  }
  return weights;
}
