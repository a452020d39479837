import { type GramInput, gramScale, readGram } from './gram-input.js';
import { solveLinearSystem } from './linear-algebra.js';

/**
 * IMTL-G (Liu et al. 2021, "Towards Impartial Multi-task Learning", ICLR): weights alpha with sum 1 such that
 * the aggregate g = sum_i alpha_i g_i has equal projections onto every unit task gradient u_i = g_i / ||g_i||.
 * Closed form: with D rows g_1 - g_i and U rows u_1 - u_i (i = 2..K), alpha_{2..K} = g_1 U^T (D U^T)^{-1} and
 * alpha_1 = 1 - sum alpha_{2..K}; every product is read off the Gram matrix. Weights may be negative.
 *
 * Degenerate inputs, never NaN:
 * - zero gradients (||g_i||^2 <= 1e-12 max_k ||g_k||^2) have no direction: weight 0, the rest is solved
 *   among the others; all zero gives uniform weights.
 * - gradients with the same direction (identical, or positive multiples; cosine >= 1 - 1e-10) make D U^T
 *   singular: they are solved as one task and share its weight in proportion to their norms (identical
 *   gradients equally), then all weights are rescaled to sum 1.
 * - any other singular system (more tasks than the gradients' dimension) takes the least-squares solution.
 */
export function imtlWeights(gram: GramInput): Float64Array {
  const { gram: matrix, size } = readGram(gram, 'imtl: Gram matrix');
  const negligible = 1e-12 * gramScale(matrix, size);
  const norms = Array.from({ length: size }, (_, i) => Math.sqrt(matrix[i * size + i] as number));
  const weights = new Float64Array(size);
  // Group non-zero gradients by direction; the first of each group represents it.
  const representatives: number[] = [];
  const groupOf = new Int32Array(size).fill(-1);
  for (let i = 0; i < size; i++) {
    if (!((matrix[i * size + i] as number) > negligible)) continue;
    const group = representatives.findIndex(
      (r) => (matrix[i * size + r] as number) >= (1 - 1e-10) * (norms[i] as number) * (norms[r] as number),
    );
    if (group >= 0) groupOf[i] = group;
    else {
      groupOf[i] = representatives.length;
      representatives.push(i);
    }
  }
  if (representatives.length === 0) return weights.fill(1 / size);
  const reduced = distinctDirectionWeights(matrix, size, representatives);
  // Group q's share of the aggregate is reduced[q] g_r; member i (g_i = (n_i / n_r) g_r) gets c n_i with
  // c = reduced[q] n_r / sum_members n_j^2, which keeps the aggregate and splits by norm.
  const squaredNormSum = new Float64Array(representatives.length);
  for (let i = 0; i < size; i++) {
    const group = groupOf[i] as number;
    if (group >= 0) squaredNormSum[group] = (squaredNormSum[group] as number) + (norms[i] as number) ** 2;
  }
  let total = 0;
  for (let i = 0; i < size; i++) {
    const group = groupOf[i] as number;
    if (group < 0) continue;
    const representative = representatives[group] as number;
    weights[i] =
      ((reduced[group] as number) * (norms[representative] as number) * (norms[i] as number)) /
      (squaredNormSum[group] as number);
    total += weights[i] as number;
  }
  // Equal projections are a homogeneous condition: rescaling keeps it and restores sum 1.
  if (Math.abs(total) > 1e-12) for (let i = 0; i < size; i++) weights[i] = (weights[i] as number) / total;
  return weights;
}

/** The IMTL-G closed form on gradients with pairwise distinct directions (the `active` tasks). */
function distinctDirectionWeights(
  matrix: Float64Array,
  size: number,
  active: readonly number[],
): Float64Array {
  const n = active.length;
  const result = new Float64Array(n);
  if (n === 1) {
    result[0] = 1;
    return result;
  }
  const inner = (a: number, b: number): number =>
    matrix[(active[a] as number) * size + (active[b] as number)] as number;
  const norms = active.map((_, a) => Math.sqrt(inner(a, a)));
  // g_a . u_b
  const towardUnit = (a: number, b: number): number => inner(a, b) / (norms[b] as number);

  // Unknowns alpha_2..alpha_n; equation j (for u_1 - u_j): sum_i alpha_i (g_1 - g_i).(u_1 - u_j) = g_1.(u_1 - u_j).
  const m = n - 1;
  const system = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  for (let j = 1; j < n; j++) {
    rhs[j - 1] = towardUnit(0, 0) - towardUnit(0, j);
    for (let i = 1; i < n; i++) {
      system[(j - 1) * m + (i - 1)] =
        towardUnit(0, 0) - towardUnit(0, j) - towardUnit(i, 0) + towardUnit(i, j);
    }
  }
  const rest = solveLinearSystem(system, rhs, 1e-10) ?? leastSquaresRest(towardUnit, norms, n);
  let restSum = 0;
  for (let i = 1; i < n; i++) {
    result[i] = rest[i - 1] as number;
    restSum += rest[i - 1] as number;
  }
  result[0] = 1 - restSum;
  return result;
}

/**
 * A singular system with distinct directions (more tasks than dimensions): least squares over all n
 * weights of A alpha = e, row 0 = ones (sum 1), row j: alpha.(g_i.(u_1 - u_j)) = 0, by ridge-regularised
 * normal equations. Returns alpha_2..alpha_n.
 */
function leastSquaresRest(
  towardUnit: (a: number, b: number) => number,
  norms: readonly number[],
  n: number,
): Float64Array {
  const rows = new Float64Array(n * n);
  const target = new Float64Array(n);
  for (let i = 0; i < n; i++) rows[i] = 1;
  target[0] = 1;
  // Divide the projection rows by the largest norm so they weigh like the ones row.
  const scale = Math.max(...norms);
  for (let j = 1; j < n; j++) {
    for (let i = 0; i < n; i++) rows[j * n + i] = (towardUnit(i, 0) - towardUnit(i, j)) / scale;
  }
  const normal = new Float64Array(n * n);
  const projected = new Float64Array(n);
  let trace = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let sum = 0;
      for (let r = 0; r < n; r++) sum += (rows[r * n + a] as number) * (rows[r * n + b] as number);
      normal[a * n + b] = sum;
    }
    trace += normal[a * n + a] as number;
    for (let r = 0; r < n; r++)
      projected[a] = (projected[a] as number) + (rows[r * n + a] as number) * (target[r] as number);
  }
  for (let a = 0; a < n; a++) normal[a * n + a] = (normal[a * n + a] as number) + 1e-9 * trace;
  const alpha = solveLinearSystem(normal, projected, 0) ?? new Float64Array(n).fill(1 / n);
  return alpha.slice(1);
}
