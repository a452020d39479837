import * as tf from '@tensorflow/tfjs-core';
import { readRowWeights } from './row-weights.js';

/**
 * w^T G: the [P] direction sum_i w_i g_i. One [1, K] x [K, P] matMul (no transposes: the fast path on the
 * wasm backend). The caller owns the result.
 */
export function combineRows(grads: tf.Tensor2D, weights: ArrayLike<number>): tf.Tensor1D {
  const coefficients = readRowWeights(grads, weights, 'combineRows');
  const [rows, columns] = grads.shape;
  return tf.tidy(() => tf.reshape(tf.matMul(tf.tensor2d(coefficients, [1, rows]), grads), [columns]));
}
