import { solveLinearSystem } from './linear-algebra.js';

/**
 * Finishes a convex QP on the simplex, min 0.5 x^T Q x + c^T x with x >= 0, sum x = 1, exactly: a primal
 * active-set method (Nocedal & Wright, Algorithm 16.3) started from the support of an approximate solution
 * `start` (from Frank-Wolfe or projected gradient, which find the support fast but the optimum slowly).
 * Each round solves the equality-constrained problem on the current face by its KKT system; it terminates
 * in finitely many rounds when every face met is non-singular. A singular face (identical gradients, or 0
 * inside the hull of affinely dependent ones) is left through its lightest vertex; the caller compares the
 * result with its own answer and keeps the better. Returns null when it gets stuck.
 */
export function refineOnSimplex(
  q: Float64Array,
  c: Float64Array,
  start: Float64Array,
  tolerance: number,
): Float64Array | null {
  const size = c.length;
  const x = Float64Array.from(start);
  const inSupport = Array.from(x, (value) => value > 0);
  for (let round = 0; round < 4 * size + 10; round++) {
    const support = [];
    for (let i = 0; i < size; i++) if (inSupport[i]) support.push(i);
    const face = solveOnFace(q, c, support, size);
    if (face === null) {
      // A singular face (affinely dependent gradients, e.g. 0 inside their hull): some optimum lives on a
      // smaller face (Caratheodory), so leave the face through its lightest vertex and try again.
      if (support.length <= 1) return null;
      let lightest = support[0] as number;
      for (const i of support) if ((x[i] as number) < (x[lightest] as number)) lightest = i;
      const remaining = 1 - (x[lightest] as number);
      if (!(remaining > 0)) return null;
      x[lightest] = 0;
      inSupport[lightest] = false;
      for (let i = 0; i < size; i++) x[i] = (x[i] as number) / remaining;
      continue;
    }
    let feasible = true;
    for (const i of support) if ((face[i] as number) < 0) feasible = false;
    if (feasible) {
      x.set(face);
      // Optimal when no vertex outside the face descends: grad_j >= grad.x for every j.
      const gradient = gradientAt(q, c, x, size);
      let level = 0;
      for (let i = 0; i < size; i++) level += (gradient[i] as number) * (x[i] as number);
      let entering = -1;
      for (let j = 0; j < size; j++) {
        if (
          !inSupport[j] &&
          (gradient[j] as number) < level - tolerance &&
          (entering < 0 || (gradient[j] as number) < (gradient[entering] as number))
        ) {
          entering = j;
        }
      }
      if (entering < 0) return x;
      inSupport[entering] = true;
    } else {
      // Walk toward the face's optimum until the first coordinate reaches 0, and drop it.
      let step = 1;
      let blocking = -1;
      for (const i of support) {
        const target = face[i] as number;
        const current = x[i] as number;
        if (target < 0) {
          const ratio = current / (current - target);
          if (ratio < step) {
            step = ratio;
            blocking = i;
          }
        }
      }
      for (const i of support) x[i] = (x[i] as number) + step * ((face[i] as number) - (x[i] as number));
      if (blocking >= 0) {
        x[blocking] = 0;
        inSupport[blocking] = false;
      }
      for (let i = 0; i < size; i++) if ((x[i] as number) < 0) x[i] = 0;
    }
  }
  return null;
}

/** argmin over { x_S : sum x_S = 1 } of the quadratic, by its KKT system [Q_SS 1; 1^T 0][x; nu] = [-c_S; 1]. */
function solveOnFace(q: Float64Array, c: Float64Array, support: number[], size: number): Float64Array | null {
  const m = support.length;
  const n = m + 1;
  // Scale Q and c to order 1 so the pivot test compares like with like (gradients may be tiny or huge).
  let scale = 0;
  for (const i of support)
    scale = Math.max(scale, Math.abs(q[i * size + i] as number), Math.abs(c[i] as number));
  if (scale === 0) scale = 1;
  const system = new Float64Array(n * n);
  const rhs = new Float64Array(n);
  support.forEach((i, a) => {
    support.forEach((j, b) => {
      system[a * n + b] = (q[i * size + j] as number) / scale;
    });
    system[a * n + m] = 1;
    system[m * n + a] = 1;
    rhs[a] = -(c[i] as number) / scale;
  });
  rhs[m] = 1;
  const solution = solveLinearSystem(system, rhs, 1e-11);
  if (solution === null) return null;
  const x = new Float64Array(size);
  support.forEach((i, a) => {
    x[i] = solution[a] as number;
  });
  return x;
}

function gradientAt(q: Float64Array, c: Float64Array, x: Float64Array, size: number): Float64Array {
  const gradient = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = c[i] as number;
    for (let j = 0; j < size; j++) sum += (q[i * size + j] as number) * (x[j] as number);
    gradient[i] = sum;
  }
  return gradient;
}
