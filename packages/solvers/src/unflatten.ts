import * as tf from '@tensorflow/tfjs-core';

/**
 * Splits a [P] vector back into tensors of the given shapes (the inverse of flattenGradients for a list).
 * The shapes' sizes must add up to P exactly. The caller owns the results; `vector` is not disposed.
 */
export function unflatten(vector: tf.Tensor1D, shapes: readonly (readonly number[])[]): tf.Tensor[] {
  if (vector.rank !== 1)
    throw new RangeError(`unflatten needs a rank-1 vector, got shape [${vector.shape.join(', ')}]`);
  const sizes = shapes.map((shape, index) => {
    let size = 1;
    for (const dimension of shape) {
      if (!Number.isInteger(dimension) || dimension < 0) {
        throw new RangeError(
          `unflatten: shape ${index} [${shape.join(', ')}] must hold non-negative integers`,
        );
      }
      size *= dimension;
    }
    return size;
  });
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total !== vector.shape[0]) {
    throw new RangeError(`unflatten: the shapes hold ${total} values but the vector has ${vector.shape[0]}`);
  }
  let offset = 0;
  return shapes.map((shape, index) => {
    const size = sizes[index] as number;
    const start = offset;
    offset += size;
    return tf.tidy(() => tf.reshape(tf.slice(vector, [start], [size]), [...shape]));
  });
}
