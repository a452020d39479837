import {
  type ObjectiveSenses,
  objectiveSigns,
  toMinimisation,
  toMinimisationPoint,
} from './objective-points.js';

/**
 * Whether `a` Pareto-dominates `b`: at least as good in every objective and strictly better in one.
 * `sense` is `min` (default), `max`, or one sense per objective.
 */
export function dominates(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  sense: ObjectiveSenses = 'min',
): boolean {
  const signs = objectiveSigns(sense, a.length);
  return dominatesMin(toMinimisationPoint(a, signs, 'a'), toMinimisationPoint(b, signs, 'b'));
}

/** Dominance for points already in minimisation form. */
export function dominatesMin(a: Float64Array, b: Float64Array): boolean {
  let strictlyBetter = false;
  for (let j = 0; j < a.length; j++) {
    const x = a[j] as number;
    const y = b[j] as number;
    if (x > y) return false;
    if (x < y) strictlyBetter = true;
  }
  return strictlyBetter;
}

/**
 * Indices (ascending) of the points no other point dominates. Equal points do not dominate each other, so
 * duplicates of a front point are all kept. O(n^2 d), fine for the tens to thousands of runs of a sweep.
 */
export function nonDominatedIndices(
  points: readonly ArrayLike<number>[],
  sense: ObjectiveSenses = 'min',
): number[] {
  if (points.length === 0) return [];
  const minimised = toMinimisation(points, sense, (points[0] as ArrayLike<number>).length);
  return nonDominatedMin(minimised);
}

/** `nonDominatedIndices` for points already in minimisation form. */
export function nonDominatedMin(points: readonly Float64Array[]): number[] {
  const kept: number[] = [];
  for (let i = 0; i < points.length; i++) {
    let dominated = false;
    for (let j = 0; j < points.length && !dominated; j++) {
      if (j !== i && dominatesMin(points[j] as Float64Array, points[i] as Float64Array)) dominated = true;
    }
    if (!dominated) kept.push(i);
  }
  return kept;
}
