import * as tf from '@tensorflow/tfjs-core';

/**
 * Evaluates `compute` as a constant with respect to `input`: the result carries zero gradient to `input`,
 * and the ops inside are not recorded on the gradient tape, so backpropagation neither walks through them
 * (tfjs has no gradient for comparison ops) nor spends time on them. For quantities that are piecewise
 * constant in the scores (ranks, the pairs kept at a cut-off) or whose gradient cancels exactly (the shift
 * in a log-sum-exp). `compute` may read other tensors through its closure.
 */
export function withoutGradient<T extends tf.Tensor>(input: tf.Tensor, compute: () => T): T {
  const constant = tf.customGrad((...args) => {
    const [x] = args as [tf.Tensor];
    return { value: tf.tidy(compute), gradFunc: () => tf.zerosLike(x) };
  });
  return constant(input) as T;
}
