import type { Rng } from '@mtl2r/core';

/**
 * Explicit-vector arithmetic for the tests: the solvers only see Gram matrices, so the tests check their
 * answers against the vectors those matrices came from.
 */
export type Vectors = Float64Array[];

export function randomVectors(rng: Rng, count: number, dimension: number): Vectors {
  const vectors: Vectors = [];
  for (let i = 0; i < count; i++) {
    // Varied norms (over two orders of magnitude) so the solvers meet unbalanced tasks.
    const scale = Math.exp(2 * (rng.float() - 0.5) * Math.log(10));
    vectors.push(Float64Array.from({ length: dimension }, () => scale * rng.normal()));
  }
  return vectors;
}

export function gramOf(vectors: readonly ArrayLike<number>[]): Float64Array {
  const size = vectors.length;
  const gram = new Float64Array(size * size);
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++)
      gram[i * size + j] = dot(vectors[i] as ArrayLike<number>, vectors[j] as ArrayLike<number>);
  return gram;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

export function combination(vectors: Vectors, weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array((vectors[0] as Float64Array).length);
  vectors.forEach((vector, i) => {
    for (let k = 0; k < out.length; k++)
      out[k] = (out[k] as number) + (weights[i] as number) * (vector[k] as number);
  });
  return out;
}

/** A uniformly random point of the simplex (normalised exponentials), sometimes pushed to a face. */
export function randomSimplexPoint(rng: Rng, size: number): Float64Array {
  const point = Float64Array.from({ length: size }, () =>
    rng.float() < 0.2 ? 0 : -Math.log(1 - rng.float()),
  );
  let sum = point.reduce((total, value) => total + value, 0);
  if (sum === 0) {
    point[rng.int(size)] = 1;
    sum = 1;
  }
  return point.map((value) => value / sum);
}

export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] as number;
  return total;
}

export function expectOnSimplex(weights: ArrayLike<number>, tolerance = 1e-12): void {
  for (let i = 0; i < weights.length; i++) {
    if (!((weights[i] as number) >= 0)) throw new Error(`weight ${i} = ${weights[i]} is negative or NaN`);
  }
  const total = sum(weights);
  if (Math.abs(total - 1) > tolerance) throw new Error(`weights sum to ${total}, not 1`);
}
