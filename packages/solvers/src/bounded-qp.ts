import { solveLinearSystem } from './linear-algebra.js';

export interface BoundedQPResult {
  x: Float64Array;
  /** Multipliers of the bounds x >= lower (Q x + c at the optimum): >= 0, zero where x is free. */
  multipliers: Float64Array;
  iterations: number;
}

/**
 * min 0.5 x^T Q x + c^T x subject to x >= lower, for a small symmetric positive definite Q, solved exactly
 * by a primal active-set method (Nocedal & Wright, Algorithm 16.3) started at x = lower with every bound
 * active. Each round solves the free variables' equality problem Q_FF x_F = -(c_F + Q_FA x_A); a blocking
 * bound is added, a bound with a negative multiplier released. Finite for positive definite Q; it is
 * UPGrad's projection onto the dual cone (Quinton & Rey 2024: min v^T G v subject to v >= u).
 */
export function solveBoundedQP(
  q: ArrayLike<number>,
  c: ArrayLike<number>,
  lower: ArrayLike<number>,
): BoundedQPResult {
  const size = c.length;
  if (q.length !== size * size || lower.length !== size) {
    throw new RangeError(`solveBoundedQP: Q has ${q.length} entries, c ${size}, lower ${lower.length}`);
  }
  const x = Float64Array.from(lower);
  const active = new Array<boolean>(size).fill(true);
  const gradient = (): Float64Array => {
    const g = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      let sum = c[i] as number;
      for (let j = 0; j < size; j++) sum += (q[i * size + j] as number) * (x[j] as number);
      g[i] = sum;
    }
    return g;
  };
  const scale = Math.max(
    1e-300,
    ...Array.from({ length: size }, (_, i) => Math.abs(q[i * size + i] as number)),
  );
  for (let iteration = 1; iteration <= 20 * size + 20; iteration++) {
    const free = [];
    for (let i = 0; i < size; i++) if (!active[i]) free.push(i);
    const target = freeOptimum(q, c, x, free, size);
    if (target === null) throw new RangeError('solveBoundedQP: Q is singular on the free variables');
    // Step from x toward the free optimum until the first bound blocks.
    let step = 1;
    let blocking = -1;
    free.forEach((i, f) => {
      const delta = (target[f] as number) - (x[i] as number);
      if (delta < 0) {
        const room = ((lower[i] as number) - (x[i] as number)) / delta;
        if (room < step) {
          step = room;
          blocking = i;
        }
      }
    });
    free.forEach((i, f) => {
      x[i] = (x[i] as number) + step * ((target[f] as number) - (x[i] as number));
    });
    if (blocking >= 0) {
      x[blocking] = lower[blocking] as number;
      active[blocking] = true;
      continue;
    }
    const g = gradient();
    let release = -1;
    for (let i = 0; i < size; i++) {
      if (
        active[i] &&
        (g[i] as number) < -1e-13 * scale &&
        (release < 0 || (g[i] as number) < (g[release] as number))
      )
        release = i;
    }
    if (release < 0) {
      const multipliers = Float64Array.from(g, (value, i) => (active[i] ? Math.max(0, value) : 0));
      return { x, multipliers, iterations: iteration };
    }
    active[release] = false;
  }
  throw new RangeError('solveBoundedQP: no convergence (is Q positive definite?)');
}

/** The minimiser over the free variables with the others held: Q_FF x_F = -(c_F + Q_F,active x_active). */
function freeOptimum(
  q: ArrayLike<number>,
  c: ArrayLike<number>,
  x: Float64Array,
  free: readonly number[],
  size: number,
): Float64Array | null {
  if (free.length === 0) return new Float64Array(0);
  const isFree = new Set(free);
  const matrix = new Float64Array(free.length * free.length);
  const rhs = new Float64Array(free.length);
  free.forEach((i, a) => {
    let sum = -(c[i] as number);
    for (let j = 0; j < size; j++) if (!isFree.has(j)) sum -= (q[i * size + j] as number) * (x[j] as number);
    rhs[a] = sum;
    free.forEach((j, b) => {
      matrix[a * free.length + b] = q[i * size + j] as number;
    });
  });
  return solveLinearSystem(matrix, rhs);
}
