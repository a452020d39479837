import { gramMatrix } from '@mtl2r/core';
import type * as tf from '@tensorflow/tfjs-core';
import { cosineFromGram } from './gram-statistics.js';

/** cos(g_i, g_j) of the rows of G [K, P], row-major K*K (a zero row has cosine 0 with everything). */
export function cosineMatrix(grads: tf.Tensor2D): Float64Array {
  return cosineFromGram(gramMatrix(grads));
}
