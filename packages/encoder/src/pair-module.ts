import * as tf from '@tensorflow/tfjs-core';
import { type LinearParameters, linear } from './linear.js';

/**
 * A small module that mediates two tasks at one encoder block (a "gradient mediative kernel" in the
 * MAMO paper's words, but the encoder does not know which strategy grows it):
 *   u = W_out ReLU(z W_in + b_in + p W_prev) + b_out
 * where z is the shared block's output and p the output of the same pair's module at the nearest earlier
 * block (absent for the first module of a pair). Its output reaches the two tasks' heads through their
 * fusion weights, which start at 0 so that growing the model does not change its scores.
 */
export interface PairModuleParameters {
  taskA: number;
  taskB: number;
  block: number;
  input: LinearParameters;
  /** [d, hidden], applied to the pair's previous module output. */
  previous: tf.Variable;
  output: LinearParameters;
  /** Scalar fusion weight of this module's output in task A's head input. */
  fusionA: tf.Variable;
  /** Scalar fusion weight of this module's output in task B's head input. */
  fusionB: tf.Variable;
}

/** Parameter count of one pair module for model width d and hidden width r. */
export function pairModuleParameterCount(modelDim: number, hiddenDim: number): number {
  return 3 * modelDim * hiddenDim + hiddenDim + modelDim + 2;
}

/** Module output [B, L, d] from the shared block output and the pair's previous module output. */
export function pairModuleForward(
  blockOutput: tf.Tensor3D,
  previous: tf.Tensor3D | undefined,
  module: PairModuleParameters,
): tf.Tensor3D {
  return tf.tidy(() => {
    let hidden = linear(blockOutput, module.input);
    if (previous !== undefined) {
      const [batch, length, width] = previous.shape;
      const fromPrevious = tf.matMul(
        tf.reshape(previous, [batch * length, width]) as tf.Tensor2D,
        module.previous as tf.Tensor2D,
      );
      hidden = tf.add(hidden, tf.reshape(fromPrevious, [batch, length, -1]));
    }
    return linear(tf.relu(hidden), module.output) as tf.Tensor3D;
  });
}
