/**
 * Eigendecomposition of a small symmetric matrix (K x K, row-major) by cyclic Jacobi rotations: accurate
 * to round-off for every eigenvalue, including the tiny ones that decide a Gram matrix's numerical rank
 * (Aligned-MTL, pseudo-inverses). Cost O(K^3) per sweep, a handful of sweeps.
 */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Eigenvectors as columns of a row-major K x K matrix: column c belongs to values[c]. */
  vectors: Float64Array;
}

export function symmetricEigen(matrix: ArrayLike<number>, size: number, maxSweeps = 100): SymmetricEigen {
  if (matrix.length !== size * size) {
    throw new RangeError(`symmetricEigen: ${matrix.length} entries for a ${size} x ${size} matrix`);
  }
  const a = Float64Array.from(matrix);
  const v = new Float64Array(size * size);
  for (let i = 0; i < size; i++) v[i * size + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let offDiagonal = 0;
    let diagonal = 0;
    for (let i = 0; i < size; i++) {
      diagonal += (a[i * size + i] as number) ** 2;
      for (let j = i + 1; j < size; j++) offDiagonal += (a[i * size + j] as number) ** 2;
    }
    if (offDiagonal <= 1e-32 * diagonal || offDiagonal === 0) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) rotate(a, v, size, p, q);
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort(
    (x, y) => (a[y * size + y] as number) - (a[x * size + x] as number),
  );
  const values = Float64Array.from(order, (i) => a[i * size + i] as number);
  const vectors = new Float64Array(size * size);
  order.forEach((from, to) => {
    for (let row = 0; row < size; row++) vectors[row * size + to] = v[row * size + from] as number;
  });
  return { values, vectors };
}

/** One Jacobi rotation zeroing a[p][q] (Golub & Van Loan, Algorithm 8.5.2). */
function rotate(a: Float64Array, v: Float64Array, size: number, p: number, q: number): void {
  const apq = a[p * size + q] as number;
  if (apq === 0) return;
  const app = a[p * size + p] as number;
  const aqq = a[q * size + q] as number;
  const tau = (aqq - app) / (2 * apq);
  const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
  const c = 1 / Math.sqrt(1 + t * t);
  const s = t * c;
  for (let k = 0; k < size; k++) {
    const akp = a[k * size + p] as number;
    const akq = a[k * size + q] as number;
    a[k * size + p] = c * akp - s * akq;
    a[k * size + q] = s * akp + c * akq;
  }
  for (let k = 0; k < size; k++) {
    const apk = a[p * size + k] as number;
    const aqk = a[q * size + k] as number;
    a[p * size + k] = c * apk - s * aqk;
    a[q * size + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < size; k++) {
    const vkp = v[k * size + p] as number;
    const vkq = v[k * size + q] as number;
    v[k * size + p] = c * vkp - s * vkq;
    v[k * size + q] = s * vkp + c * vkq;
  }
}

/**
 * The numerical rank of a positive semi-definite matrix from its eigenvalues (largest first), with the
 * LAPACK/NumPy convention: eigenvalues above max(values) * K * float32 epsilon count. Gram matrices come
 * from float32 gradients, so float32's epsilon is the honest scale.
 */
export function numericalRank(values: Float64Array, size: number): number {
  const largest = values[0] ?? 0;
  if (!(largest > 0)) return 0;
  const tolerance = largest * size * 2 ** -23;
  let rank = 0;
  for (const value of values) if (value > tolerance) rank++;
  return rank;
}

/**
 * Moore-Penrose pseudo-inverse of a symmetric positive semi-definite matrix (a Gram or cosine matrix):
 * V diag(1 / lambda) V^T over the eigenvalues above the numerical-rank tolerance.
 */
export function pseudoInverseSymmetric(matrix: ArrayLike<number>, size: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, size);
  const rank = numericalRank(values, size);
  const out = new Float64Array(size * size);
  for (let c = 0; c < rank; c++) {
    const inverse = 1 / (values[c] as number);
    for (let i = 0; i < size; i++) {
      const vi = vectors[i * size + c] as number;
      for (let j = 0; j < size; j++) {
        out[i * size + j] = (out[i * size + j] as number) + inverse * vi * (vectors[j * size + c] as number);
      }
    }
  }
  return out;
}
