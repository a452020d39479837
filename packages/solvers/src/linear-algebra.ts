/**
 * Dense linear algebra for the small (K x K, K <= ~20) systems the solvers meet. Row-major Float64Arrays.
 */

/**
 * Solves A x = b by Gaussian elimination with partial pivoting. Returns null when A is singular relative to
 * its scale (a pivot below `relativePivot` times the largest entry), so callers can fall back explicitly.
 */
export function solveLinearSystem(
  matrix: ArrayLike<number>,
  rhs: ArrayLike<number>,
  relativePivot = 1e-12,
): Float64Array | null {
  const size = rhs.length;
  if (matrix.length !== size * size) {
    throw new RangeError(`solveLinearSystem: matrix has ${matrix.length} entries, expected ${size * size}`);
  }
  const a = Float64Array.from(matrix);
  const x = Float64Array.from(rhs);
  let largest = 0;
  for (let index = 0; index < a.length; index++) largest = Math.max(largest, Math.abs(a[index] as number));
  if (largest === 0) return null;
  for (let column = 0; column < size; column++) {
    let pivotRow = column;
    for (let row = column + 1; row < size; row++) {
      if (Math.abs(a[row * size + column] as number) > Math.abs(a[pivotRow * size + column] as number))
        pivotRow = row;
    }
    const pivot = a[pivotRow * size + column] as number;
    if (!(Math.abs(pivot) > relativePivot * largest)) return null;
    if (pivotRow !== column) {
      for (let k = 0; k < size; k++) {
        const tmp = a[column * size + k] as number;
        a[column * size + k] = a[pivotRow * size + k] as number;
        a[pivotRow * size + k] = tmp;
      }
      const tmp = x[column] as number;
      x[column] = x[pivotRow] as number;
      x[pivotRow] = tmp;
    }
    for (let row = column + 1; row < size; row++) {
      const factor = (a[row * size + column] as number) / pivot;
      if (factor === 0) continue;
      for (let k = column; k < size; k++)
        a[row * size + k] = (a[row * size + k] as number) - factor * (a[column * size + k] as number);
      x[row] = (x[row] as number) - factor * (x[column] as number);
    }
  }
  for (let row = size - 1; row >= 0; row--) {
    let sum = x[row] as number;
    for (let k = row + 1; k < size; k++) sum -= (a[row * size + k] as number) * (x[k] as number);
    x[row] = sum / (a[row * size + row] as number);
  }
  return x;
}

/**
 * Largest eigenvalue of a symmetric positive semi-definite matrix by power iteration, returned with a small
 * safety margin so 1 / value is a safe gradient step. Falls back to the trace bound if it fails to settle.
 */
export function largestEigenvalueBound(matrix: ArrayLike<number>, size: number, iterations = 100): number {
  let trace = 0;
  for (let i = 0; i < size; i++) trace += Math.max(0, matrix[i * size + i] as number);
  if (trace === 0) return 0;
  let vector = new Float64Array(size).fill(1 / Math.sqrt(size));
  let estimate = 0;
  for (let iteration = 0; iteration < iterations; iteration++) {
    const next = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      let sum = 0;
      for (let j = 0; j < size; j++) sum += (matrix[i * size + j] as number) * (vector[j] as number);
      // A tiny shift keeps the iteration off an eigenvector with eigenvalue 0 that is orthogonal to the top one.
      next[i] = sum + 1e-12 * trace * (vector[i] as number);
    }
    let norm = 0;
    for (let i = 0; i < size; i++) norm += (next[i] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return trace;
    const previous = estimate;
    estimate = norm;
    for (let i = 0; i < size; i++) next[i] = (next[i] as number) / norm;
    vector = next;
    if (iteration > 5 && Math.abs(estimate - previous) <= 1e-10 * estimate) break;
  }
  // Power iteration approaches the top eigenvalue from below; pad it, never exceed the trace bound.
  return Math.min(trace, estimate * 1.05 + 1e-12 * trace);
}
