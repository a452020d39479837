/**
 * Small helpers on K-vectors of task weights, in float64, shared by the scalarization and weighting
 * strategies (wc, soft_wc, rlw, stl). They validate their input: a NaN slipping into a weight vector
 * would silently poison a whole training run.
 */

function assertFiniteValues(values: ArrayLike<number>, what: string): void {
  if (values.length === 0) throw new RangeError(`${what} needs at least one value`);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) throw new RangeError(`${what}: value[${i}] must be finite, got ${value}`);
  }
}

/**
 * softmax(v / temperature), computed as exp(v_i / T - max_j v_j / T) / sum so large logits do not
 * overflow. Logits of -Infinity are allowed (weight exactly 0) as long as one logit is finite.
 */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const size = logits.length;
  if (size === 0) throw new RangeError('softmax needs at least one value');
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`softmax temperature must be a positive finite number, got ${temperature}`);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < size; i++) {
    const value = logits[i] as number;
    if (Number.isNaN(value) || value === Number.POSITIVE_INFINITY) {
      throw new RangeError(`softmax: value[${i}] must be finite or -Infinity, got ${value}`);
    }
    max = Math.max(max, value / temperature);
  }
  if (max === Number.NEGATIVE_INFINITY) throw new RangeError('softmax needs at least one finite value');
  const out = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const e = Math.exp((logits[i] as number) / temperature - max);
    out[i] = e;
    sum += e;
  }
  // sum >= 1: the largest logit contributes exp(0).
  for (let i = 0; i < size; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/** Index of the largest value; ties go to the lowest index so the choice is stable across runs. */
export function argmax(values: ArrayLike<number>): number {
  assertFiniteValues(values, 'argmax');
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if ((values[i] as number) > (values[best] as number)) best = i;
  }
  return best;
}

/** The K-vector with 1 at `index` and 0 elsewhere. */
export function oneHot(size: number, index: number): Float64Array {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`oneHot size must be an integer >= 1, got ${size}`);
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`oneHot index must be an integer in [0, ${size - 1}], got ${index}`);
  }
  const out = new Float64Array(size);
  out[index] = 1;
  return out;
}

/**
 * Scales non-negative values to sum 1 (v / sum v): a positive rescaling that keeps the direction of
 * sum_i v_i g_i. Unlike `projectToSimplex` it never moves mass between entries.
 */
export function normaliseToSimplex(values: ArrayLike<number>): Float64Array {
  assertFiniteValues(values, 'normaliseToSimplex');
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value < 0) throw new RangeError(`normaliseToSimplex: value[${i}] must be >= 0, got ${value}`);
    sum += value;
  }
  if (!(sum > 0)) throw new RangeError('normaliseToSimplex needs at least one positive value');
  return Float64Array.from(values, (value) => value / sum);
}
