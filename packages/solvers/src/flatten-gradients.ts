import * as tf from '@tensorflow/tfjs-core';

/** Gradients of several variables: a list, or a map by variable name (what tf.variableGrads returns). */
export type GradientSet = readonly tf.Tensor[] | tf.NamedTensorMap;

/**
 * Concatenates gradients into one [P] vector, each flattened row-major. A list is taken in its order; a map
 * needs `order` (names in flattening order, e.g. the ParameterLayout entries) so the layout never depends
 * on object key order. Names in the map but not in `order` are ignored (task-specific heads). The caller
 * owns the result; the inputs are not disposed.
 */
export function flattenGradients(grads: GradientSet, order?: readonly string[]): tf.Tensor1D {
  const parts = orderedParts(grads, order);
  if (parts.length === 0) throw new RangeError('flattenGradients needs at least one gradient tensor');
  return tf.tidy(() => {
    const flat = parts.map((part) =>
      tf.reshape(part.dtype === 'float32' ? part : tf.cast(part, 'float32'), [-1]),
    );
    return flat.length === 1 ? tf.clone(flat[0] as tf.Tensor1D) : (tf.concat(flat) as tf.Tensor1D);
  });
}

/**
 * The [K, P] matrix of K tasks' flattened gradients, row i = flattenGradients(perTask[i], order).
 * All tasks must flatten to the same length. The caller owns the result.
 */
export function stackGradients(perTask: readonly GradientSet[], order?: readonly string[]): tf.Tensor2D {
  if (perTask.length === 0) throw new RangeError('stackGradients needs at least one task');
  return tf.tidy(() => {
    const rows = perTask.map((grads) => flattenGradients(grads, order));
    const length = rows[0]?.shape[0];
    rows.forEach((row, task) => {
      if (row.shape[0] !== length) {
        throw new RangeError(
          `stackGradients: task ${task} flattens to ${row.shape[0]} values, task 0 to ${length}`,
        );
      }
    });
    return tf.stack(rows) as tf.Tensor2D;
  });
}

function orderedParts(grads: GradientSet, order: readonly string[] | undefined): tf.Tensor[] {
  if (Array.isArray(grads)) {
    if (order !== undefined)
      throw new RangeError('flattenGradients: `order` applies to a map of named gradients, not a list');
    return [...(grads as readonly tf.Tensor[])];
  }
  const named = grads as tf.NamedTensorMap;
  if (order === undefined) {
    throw new RangeError(
      'flattenGradients: a map of named gradients needs `order` (the variable names in flattening order)',
    );
  }
  const seen = new Set<string>();
  return order.map((name) => {
    if (seen.has(name)) throw new RangeError(`flattenGradients: '${name}' appears twice in order`);
    seen.add(name);
    const tensor = named[name];
    if (tensor === undefined) {
      throw new RangeError(
        `flattenGradients: no gradient named '${name}' (have: ${Object.keys(named).join(', ') || 'none'})`,
      );
    }
    return tensor;
  });
}
