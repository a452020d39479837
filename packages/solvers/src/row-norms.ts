import { gramMatrix } from '@mtl2r/core';
import type * as tf from '@tensorflow/tfjs-core';
import { gramNorms } from './gram-statistics.js';

/** ||g_i|| of each row of G [K, P], via the Gram matrix (one matMul, K*K numbers read back). */
export function rowNorms(grads: tf.Tensor2D): Float64Array {
  return gramNorms(gramMatrix(grads));
}
