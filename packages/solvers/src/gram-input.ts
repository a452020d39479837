/**
 * A Gram matrix M = G G^T of K task gradients, as a row-major K*K array. Every small-K solver in this
 * package takes one, so the [K, P] gradients never leave the tensor backend.
 */
export type GramInput = ArrayLike<number>;

/** Number of tasks K of a row-major K*K Gram matrix; throws when the length is not a square. */
export function gramSize(gram: GramInput): number {
  const size = Math.round(Math.sqrt(gram.length));
  if (size * size !== gram.length || size === 0) {
    throw new RangeError(`Gram matrix must be a non-empty row-major K*K array, got length ${gram.length}`);
  }
  return size;
}

/**
 * Checks a Gram matrix and returns a symmetrised Float64Array copy and K. Symmetrising absorbs the float32
 * round-off of a tensor matMul; a real asymmetry or a negative diagonal means the input is not a Gram matrix.
 */
export function readGram(gram: GramInput, what = 'Gram matrix'): { gram: Float64Array; size: number } {
  const size = gramSize(gram);
  const out = new Float64Array(size * size);
  for (let index = 0; index < gram.length; index++) {
    const value = gram[index] as number;
    if (!Number.isFinite(value)) {
      throw new RangeError(
        `${what} has a non-finite entry ${value} at (${Math.floor(index / size)}, ${index % size})`,
      );
    }
  }
  for (let i = 0; i < size; i++) {
    const diagonal = gram[i * size + i] as number;
    if (diagonal < 0)
      throw new RangeError(`${what} has a negative diagonal entry ${diagonal} at (${i}, ${i})`);
    out[i * size + i] = diagonal;
    for (let j = i + 1; j < size; j++) {
      const upper = gram[i * size + j] as number;
      const lower = gram[j * size + i] as number;
      const scale = Math.max(
        Math.abs(upper),
        Math.abs(lower),
        Math.sqrt((gram[j * size + j] as number) * diagonal),
      );
      if (Math.abs(upper - lower) > 1e-4 * scale + Number.MIN_VALUE) {
        throw new RangeError(`${what} is not symmetric: (${i}, ${j}) = ${upper} but (${j}, ${i}) = ${lower}`);
      }
      const mean = 0.5 * (upper + lower);
      out[i * size + j] = mean;
      out[j * size + i] = mean;
    }
  }
  return { gram: out, size };
}

/** Largest diagonal entry (the largest squared gradient norm): the scale relative tolerances refer to. */
export function gramScale(gram: Float64Array, size: number): number {
  let largest = 0;
  for (let i = 0; i < size; i++) largest = Math.max(largest, gram[i * size + i] as number);
  return largest;
}

/** (M x)_i for a row-major K*K matrix M. */
export function multiplyGram(gram: Float64Array, size: number, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = 0;
    for (let j = 0; j < size; j++) sum += (gram[i * size + j] as number) * (x[j] as number);
    out[i] = sum;
  }
  return out;
}

/** x^T M y. */
export function gramInner(
  gram: Float64Array,
  size: number,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): number {
  let sum = 0;
  for (let i = 0; i < size; i++) {
    let row = 0;
    for (let j = 0; j < size; j++) row += (gram[i * size + j] as number) * (y[j] as number);
    sum += (x[i] as number) * row;
  }
  return sum;
}

/** Checks a length-K vector of finite numbers and copies it. */
export function readVector(values: ArrayLike<number>, size: number, what: string): Float64Array {
  if (values.length !== size) throw new RangeError(`${what} must have length ${size}, got ${values.length}`);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) throw new RangeError(`${what}[${i}] must be finite, got ${value}`);
    out[i] = value;
  }
  return out;
}
