import { readVector } from './gram-input.js';

export interface SimplexLPConstraints {
  /** Row-major R x K matrix A. */
  matrix: ArrayLike<number>;
  /** R lower bounds b for A x >= b; -Infinity switches a row off (EPO's "no constraint on this task"). */
  lower: ArrayLike<number>;
}

export type SimplexLPStatus = 'optimal' | 'infeasible';

export interface SimplexLPResult {
  /** The minimiser on the simplex (the uniform point when infeasible). */
  x: Float64Array;
  /** c.x at `x`. */
  value: number;
  status: SimplexLPStatus;
  /** Simplex pivots over both phases. */
  pivots: number;
}

/**
 * min c.x over { x >= 0, sum x = 1, A x >= b }: the small linear programs of EPO (Mahapatra & Rajan 2021),
 * whose reference solves them with cvxpy/GLPK. Dense two-phase simplex method with Bland's rule (no cycling,
 * finite termination); phase 1 reports infeasible constraints instead of returning a wrong point. The
 * feasible set is bounded, so there is no unbounded case. For maximisation pass -c.
 */
export function solveSimplexLP(c: ArrayLike<number>, constraints?: SimplexLPConstraints): SimplexLPResult {
  const size = c.length;
  if (size === 0) throw new RangeError('solveSimplexLP needs at least one variable');
  const cost = readVector(c, size, 'solveSimplexLP: c');
  const rows: { coefficients: Float64Array; bound: number }[] = [];
  if (constraints !== undefined) {
    const rowCount = constraints.lower.length;
    if (constraints.matrix.length !== rowCount * size) {
      throw new RangeError(
        `solveSimplexLP: A has ${constraints.matrix.length} entries, expected ${rowCount} x ${size}`,
      );
    }
    for (let r = 0; r < rowCount; r++) {
      const bound = constraints.lower[r] as number;
      if (Number.isNaN(bound) || bound === Number.POSITIVE_INFINITY) {
        throw new RangeError(`solveSimplexLP: lower[${r}] must be a number or -Infinity, got ${bound}`);
      }
      const coefficients = readVector(
        Array.prototype.slice.call(constraints.matrix, r * size, (r + 1) * size),
        size,
        `solveSimplexLP: A row ${r}`,
      );
      if (bound === Number.NEGATIVE_INFINITY) continue;
      // Scale rows to unit size so one pivot tolerance fits all.
      let largest = Math.abs(bound);
      for (const value of coefficients) largest = Math.max(largest, Math.abs(value));
      if (largest === 0) continue; // 0 >= 0
      rows.push({ coefficients: coefficients.map((value) => value / largest), bound: bound / largest });
    }
  }

  // Standard form: columns x (size), slacks s_r (A_r x - s_r = b_r), artificials a (one per equality row).
  const constraintCount = rows.length + 1;
  const slackStart = size;
  const artificialStart = size + rows.length;
  const columnCount = artificialStart + constraintCount;
  const width = columnCount + 1; // + right-hand side
  const tableau: Float64Array[] = [];
  const basis = new Int32Array(constraintCount);
  const sumRow = new Float64Array(width);
  for (let i = 0; i < size; i++) sumRow[i] = 1;
  sumRow[columnCount] = 1;
  tableau.push(sumRow);
  rows.forEach(({ coefficients, bound }, r) => {
    const row = new Float64Array(width);
    row.set(coefficients, 0);
    row[slackStart + r] = -1;
    row[columnCount] = bound;
    tableau.push(row);
  });
  tableau.forEach((row, r) => {
    if ((row[columnCount] as number) < 0) for (let k = 0; k < width; k++) row[k] = -(row[k] as number);
    row[artificialStart + r] = 1;
    basis[r] = artificialStart + r;
  });

  const tolerance = 1e-10;
  let pivots = 0;
  const runPhase = (objective: Float64Array, allowed: (column: number) => boolean): void => {
    // Reduced costs: objective minus its basic part, kept as the last row.
    const reduced = Float64Array.from(objective);
    tableau.forEach((row, r) => {
      const weight = objective[basis[r] as number] as number;
      if (weight !== 0)
        for (let k = 0; k < width; k++) reduced[k] = (reduced[k] as number) - weight * (row[k] as number);
    });
    for (let guard = 0; guard < 10_000; guard++) {
      // Bland: the lowest-index column with a negative reduced cost enters.
      let entering = -1;
      for (let k = 0; k < columnCount; k++) {
        if (allowed(k) && (reduced[k] as number) < -tolerance) {
          entering = k;
          break;
        }
      }
      if (entering < 0) return;
      // Ratio test; ties broken by the lowest basic index (Bland).
      let leaving = -1;
      let bestRatio = Number.POSITIVE_INFINITY;
      tableau.forEach((row, r) => {
        const coefficient = row[entering] as number;
        if (coefficient > tolerance) {
          const ratio = (row[columnCount] as number) / coefficient;
          if (
            ratio < bestRatio - tolerance ||
            (Math.abs(ratio - bestRatio) <= tolerance && (basis[r] as number) < (basis[leaving] as number))
          ) {
            bestRatio = ratio;
            leaving = r;
          }
        }
      });
      // Bounded feasible set: an improving column always has a positive entry; stop defensively if not.
      if (leaving < 0) return;
      pivot(leaving, entering, reduced);
    }
  };
  const pivot = (pivotRow: number, column: number, reduced: Float64Array): void => {
    pivots++;
    const row = tableau[pivotRow] as Float64Array;
    const divisor = row[column] as number;
    for (let k = 0; k < width; k++) row[k] = (row[k] as number) / divisor;
    const eliminate = (target: Float64Array): void => {
      const factor = target[column] as number;
      if (factor !== 0)
        for (let k = 0; k < width; k++) target[k] = (target[k] as number) - factor * (row[k] as number);
    };
    tableau.forEach((other, r) => {
      if (r !== pivotRow) eliminate(other);
    });
    eliminate(reduced);
    basis[pivotRow] = column;
  };

  // Phase 1: minimise the sum of the artificials.
  const phaseOne = new Float64Array(width);
  for (let r = 0; r < constraintCount; r++) phaseOne[artificialStart + r] = 1;
  runPhase(phaseOne, () => true);
  let infeasibility = 0;
  tableau.forEach((row, r) => {
    if ((basis[r] as number) >= artificialStart) infeasibility += row[columnCount] as number;
  });
  if (infeasibility > 1e-9) {
    return { x: new Float64Array(size).fill(1 / size), value: Number.NaN, status: 'infeasible', pivots };
  }
  // Artificials still basic at 0: pivot them out on any real column (a row with none is redundant).
  tableau.forEach((row, r) => {
    if ((basis[r] as number) < artificialStart) return;
    for (let k = 0; k < artificialStart; k++) {
      if (Math.abs(row[k] as number) > tolerance) {
        pivot(r, k, new Float64Array(width));
        return;
      }
    }
  });
  // Phase 2: the real objective, artificials barred from entering.
  const phaseTwo = new Float64Array(width);
  phaseTwo.set(cost, 0);
  runPhase(phaseTwo, (column) => column < artificialStart);

  const x = new Float64Array(size);
  tableau.forEach((row, r) => {
    const column = basis[r] as number;
    if (column < size) x[column] = Math.max(0, row[columnCount] as number);
  });
  let total = 0;
  for (let i = 0; i < size; i++) total += x[i] as number;
  for (let i = 0; i < size; i++) x[i] = (x[i] as number) / total;
  let value = 0;
  for (let i = 0; i < size; i++) value += (cost[i] as number) * (x[i] as number);
  return { x, value, status: 'optimal', pivots };
}
