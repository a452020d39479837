import { ConfigError } from '@mtl2r/core';
import {
  type ObjectiveSenses,
  objectiveSigns,
  toMinimisation,
  toMinimisationPoint,
} from './objective-points.js';
import { dominatesMin } from './pareto.js';

export interface HypervolumeOptions {
  /** `min` (default), `max`, or one sense per objective. The reference point uses the same senses. */
  sense?: ObjectiveSenses;
}

/**
 * Exact hypervolume: the measure of the region dominated by at least one point and bounded by the
 * reference point. Points that do not strictly beat the reference in every objective add nothing.
 * Two objectives: a sorted sweep, O(n log n). Three or more: the WFG algorithm (While, Bradstreet,
 * Barone 2012): the sum of each point's exclusive volume, computed as its box minus the hypervolume of the
 * later points clipped ("limited") to it.
 */
export function hypervolume(
  points: readonly ArrayLike<number>[],
  reference: ArrayLike<number>,
  options: HypervolumeOptions = {},
): number {
  const dimension = reference.length;
  if (dimension === 0) {
    throw new ConfigError('Bad hypervolume reference point', [
      { path: 'reference', message: 'is empty; expected one coordinate per objective' },
    ]);
  }
  const sense = options.sense ?? 'min';
  const ref = toMinimisationPoint(reference, objectiveSigns(sense, dimension), 'reference');
  const minimised = toMinimisation(points, sense, dimension);
  const inside = minimised.filter((point) => point.every((value, j) => value < (ref[j] as number)));
  return hypervolumeMin(frontOf(inside), ref);
}

/** Non-dominated points without exact duplicates (a duplicate adds no volume, only work). */
function frontOf(points: readonly Float64Array[]): Float64Array[] {
  const front: Float64Array[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Float64Array;
    let drop = false;
    for (let j = 0; j < points.length && !drop; j++) {
      if (j === i) continue;
      const q = points[j] as Float64Array;
      // Drop p if q dominates it, or if q equals p and comes first.
      drop = dominatesMin(q, p) || (j < i && q.every((value, m) => value === p[m]));
    }
    if (!drop) front.push(p);
  }
  return front;
}

/** Hypervolume of a mutually non-dominated set, all strictly inside the reference box (minimisation). */
function hypervolumeMin(front: Float64Array[], ref: Float64Array): number {
  const n = front.length;
  if (n === 0) return 0;
  if (n === 1) return boxVolume(front[0] as Float64Array, ref);
  if (ref.length === 1) return (ref[0] as number) - Math.min(...front.map((p) => p[0] as number));
  if (ref.length === 2) return hypervolume2d(front, ref);
  // Sorting by the first objective makes the limited sets of early points small (later points are worse
  // there, so clipping them to an early point leaves few non-dominated ones).
  const sorted = [...front].sort((a, b) => (a[0] as number) - (b[0] as number));
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = sorted[i] as Float64Array;
    const limited: Float64Array[] = [];
    for (let j = i + 1; j < n; j++) limited.push(limitTo(sorted[j] as Float64Array, p));
    total += boxVolume(p, ref) - hypervolumeMin(frontOf(limited), ref);
  }
  return total;
}

/** The part of q's box that is also inside p's box: the coordinate-wise worse of the two. */
function limitTo(q: Float64Array, p: Float64Array): Float64Array {
  const out = new Float64Array(q.length);
  for (let j = 0; j < q.length; j++) out[j] = Math.max(q[j] as number, p[j] as number);
  return out;
}

function boxVolume(point: Float64Array, ref: Float64Array): number {
  let volume = 1;
  for (let j = 0; j < ref.length; j++) volume *= (ref[j] as number) - (point[j] as number);
  return volume;
}

/** Two objectives: sweep by the first objective; each point adds the strip below the previous one. */
function hypervolume2d(front: readonly Float64Array[], ref: Float64Array): number {
  const sorted = [...front].sort((a, b) => (a[0] as number) - (b[0] as number));
  let area = 0;
  let ceiling = ref[1] as number;
  for (const point of sorted) {
    const y = point[1] as number;
    if (y < ceiling) {
      area += ((ref[0] as number) - (point[0] as number)) * (ceiling - y);
      ceiling = y;
    }
  }
  return area;
}
