import { type GramInput, multiplyGram, readGram, readVector } from './gram-input.js';
import { minNormPoint } from './min-norm-point.js';
import { solveSimplexLP } from './simplex-lp.js';

export type EpoMode = 'balance' | 'descent' | 'relaxed-descent' | 'min-norm';

export interface EpoOptions {
  /** Non-uniformity threshold: balance while mu(r * L) > epsilon, then descend; default 1e-4. */
  epsilon?: number;
}

export interface EpoResult {
  /** Task weights on the simplex. */
  alpha: Float64Array;
  /** Which LP gave alpha; 'min-norm' when round-off made an always-feasible LP infeasible (MGDA's point). */
  mode: EpoMode;
  /** Non-uniformity mu = KL(l_hat || 1/K) of l_hat = r * L / sum(r * L). */
  nonUniformity: number;
  /** Simplex pivots of the LPs solved. */
  pivots: number;
}

/**
 * Exact Pareto Optimal search (Mahapatra & Rajan 2020, 2021), one step, on the Gram matrix C = G G^T.
 *
 * With l_hat = r * L / sum(r * L) and mu = sum l_hat ln(K l_hat) (0 exactly on the preference ray), the
 * adjustment a = r * (ln(K l_hat) - mu) points the losses toward the ray. While mu > epsilon ("balance"):
 *   max alpha.(C a)  s.t. alpha on the simplex, (C alpha)_j >= (C a)_j for the tasks j with (C a)_j <= 0,
 *   (C alpha)_j >= 0 for the tasks j with the largest r_j L_j (no constraint on the other tasks);
 * all (C a)_j <= 0 gives C alpha >= 0 for every task. The min-norm point is always feasible. Then ("descent"):
 *   max 1^T C alpha  s.t. alpha on the simplex, C alpha >= 0, alpha.(C a) >= min(max_j (C a)_j, 0),
 * relaxed (the last constraint dropped) if infeasible; the relaxed LP always has the min-norm point.
 * Both are solved exactly by the simplex method. The losses must be > 0 (ln l_hat).
 */
export function epoWeights(
  gram: GramInput,
  losses: ArrayLike<number>,
  preference: ArrayLike<number>,
  options: EpoOptions = {},
): EpoResult {
  const { gram: c, size } = readGram(gram, 'epoWeights: Gram matrix');
  const l = readVector(losses, size, 'epoWeights: losses');
  const r = readVector(preference, size, 'epoWeights: preference');
  const epsilon = options.epsilon ?? 1e-4;
  const rl = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) {
    if (!((l[i] as number) > 0))
      throw new RangeError(`epoWeights: losses must be > 0, got L[${i}] = ${l[i]}`);
    if (!((r[i] as number) > 0))
      throw new RangeError(`epoWeights: preference must be > 0, got r[${i}] = ${r[i]}`);
    rl[i] = (r[i] as number) * (l[i] as number);
    total += rl[i] as number;
  }
  const logRatio = rl.map((value) => Math.log((size * value) / total));
  let nonUniformity = 0;
  for (let i = 0; i < size; i++) nonUniformity += ((rl[i] as number) / total) * (logRatio[i] as number);
  nonUniformity = Math.max(0, nonUniformity);
  const adjustment = logRatio.map((value, i) => (r[i] as number) * (value - nonUniformity));
  const ca = multiplyGram(c, size, adjustment);

  if (nonUniformity > epsilon) {
    const largest = Math.max(...rl);
    const anyAscent = ca.some((value) => value > 0);
    const lower = Float64Array.from(ca, (value, j) => {
      if (!anyAscent || rl[j] === largest) return 0;
      return value > 0 ? Number.NEGATIVE_INFINITY : value;
    });
    const balance = solveSimplexLP(
      ca.map((value) => -value),
      { matrix: c, lower },
    );
    if (balance.status === 'optimal') {
      return { alpha: balance.x, mode: 'balance', nonUniformity, pivots: balance.pivots };
    }
    // The min-norm point satisfies every constraint (C alpha* >= |d*|^2 >= 0 >= the right-hand sides), so
    // only round-off makes this LP infeasible: take that point.
    return { alpha: minNormPoint(c).weights, mode: 'min-norm', nonUniformity, pivots: balance.pivots };
  }

  // Descent: maximise the sum of the directional derivatives 1^T C alpha = (C 1).alpha.
  const columnSums = multiplyGram(c, size, new Float64Array(size).fill(1));
  const objective = columnSums.map((value) => -value);
  const floor = Math.min(Math.max(...ca), 0);
  const restricted = solveSimplexLP(objective, {
    matrix: Float64Array.from([...c, ...ca]),
    lower: Float64Array.from([...new Float64Array(size), floor]),
  });
  if (restricted.status === 'optimal') {
    return { alpha: restricted.x, mode: 'descent', nonUniformity, pivots: restricted.pivots };
  }
  const relaxed = solveSimplexLP(objective, { matrix: c, lower: new Float64Array(size) });
  const pivots = restricted.pivots + relaxed.pivots;
  if (relaxed.status === 'optimal')
    return { alpha: relaxed.x, mode: 'relaxed-descent', nonUniformity, pivots };
  // Only round-off can make the relaxed LP infeasible (at a Pareto-stationary point, C alpha* = 0 for the
  // min-norm alpha*): that point is feasible in exact arithmetic, so take it.
  return { alpha: minNormPoint(c).weights, mode: 'min-norm', nonUniformity, pivots };
}
