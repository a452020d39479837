import type * as tf from '@tensorflow/tfjs-core';

/** Checks one finite number per row of a [K, P] tensor and converts them to float32 for the backend. */
export function readRowWeights(grads: tf.Tensor2D, weights: ArrayLike<number>, what: string): Float32Array {
  if (grads.rank !== 2)
    throw new RangeError(`${what} needs a rank-2 tensor [K, P], got shape [${grads.shape.join(', ')}]`);
  const rows = grads.shape[0];
  if (weights.length !== rows)
    throw new RangeError(`${what}: expected ${rows} values (one per row), got ${weights.length}`);
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const value = weights[i] as number;
    if (!Number.isFinite(value)) throw new RangeError(`${what}: value[${i}] must be finite, got ${value}`);
    out[i] = value;
  }
  return out;
}
