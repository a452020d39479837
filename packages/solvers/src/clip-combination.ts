import * as tf from '@tensorflow/tfjs-core';
import { readGram } from './gram-input.js';

export interface ClippedCombination {
  /** [P] direction sum_i scale * w_i g_i. The caller (the trainer, via CombineOutput) owns it. */
  direction: tf.Tensor1D;
  /** ||sum_i w_i g_i|| before clipping, from the Gram matrix: sqrt(w^T M w). */
  norm: number;
  /** The factor applied: min(1, maxNorm / (norm + 1e-6)), as torch's clip_grad_norm_. */
  scale: number;
}

/**
 * The shared-parameter direction sum_i w_i g_i with its norm clipped to `maxNorm`, the way DeepMTL2R clips
 * the shared parameters' combined gradient (torch.nn.utils.clip_grad_norm_, eps 1e-6) for pcgrad, cagrad,
 * log_cagrad, graddrop and sdmgrad. It is returned as a direction because the clip covers the shared
 * parameters only: scaling the weights instead would also scale the task heads' gradients.
 */
export function clippedCombination(
  grads: tf.Tensor2D,
  weights: ArrayLike<number>,
  gram: ArrayLike<number>,
  maxNorm: number,
): ClippedCombination {
  if (!(maxNorm > 0)) throw new RangeError(`maxNorm must be > 0, got ${maxNorm}`);
  const { gram: m, size } = readGram(gram);
  if (weights.length !== size || grads.shape[0] !== size) {
    throw new RangeError(
      `clippedCombination: ${weights.length} weights and ${grads.shape[0]} gradients for a ${size} x ${size} Gram matrix`,
    );
  }
  let squared = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      squared += (weights[i] as number) * (m[i * size + j] as number) * (weights[j] as number);
    }
  }
  const norm = Math.sqrt(Math.max(0, squared));
  const scale = Math.min(1, maxNorm / (norm + 1e-6));
  const direction = tf.tidy(() => {
    const row = tf.tensor2d(
      Array.from(weights, (w) => w * scale),
      [1, size],
    );
    return tf.reshape(tf.matMul(row, grads), [-1]) as tf.Tensor1D;
  });
  return { direction, norm, scale };
}
