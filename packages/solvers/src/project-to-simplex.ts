/**
 * Euclidean projection onto the simplex { w : w_i >= 0, sum_i w_i = radius }:
 * argmin_w ||w - v||^2, by the sort-and-threshold rule (Duchi et al. 2008; Wang & Carreira-Perpinan 2013):
 * w_i = max(v_i - theta, 0) with theta chosen so the result sums to `radius`. O(K log K).
 */
export function projectToSimplex(values: ArrayLike<number>, radius = 1): Float64Array {
  const size = values.length;
  if (size === 0) throw new RangeError('projectToSimplex needs at least one value');
  if (!(radius > 0) || !Number.isFinite(radius)) {
    throw new RangeError(`projectToSimplex radius must be a positive finite number, got ${radius}`);
  }
  const sorted = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value))
      throw new RangeError(`projectToSimplex: value[${i}] must be finite, got ${value}`);
    sorted[i] = value;
  }
  sorted.sort().reverse();
  // The threshold is set by the largest prefix of sorted values that stays above it.
  let prefixSum = 0;
  let threshold = 0;
  for (let j = 0; j < size; j++) {
    prefixSum += sorted[j] as number;
    const candidate = (prefixSum - radius) / (j + 1);
    if ((sorted[j] as number) - candidate > 0) threshold = candidate;
  }
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.max((values[i] as number) - threshold, 0);
  return out;
}
