import * as tf from '@tensorflow/tfjs-core';
import { backpropagate, engineInternals, nodesBetween } from './backprop.js';

type Gradients = (
  f: () => tf.Tensor,
  xs: tf.Tensor[],
  dy?: tf.Tensor,
  allowNoGradients?: boolean,
) => { value: tf.Tensor; grads: (tf.Tensor | undefined)[] };

interface GradientEngine {
  gradients: Gradients;
}

let original: Gradients | undefined;

/**
 * Makes tfjs's own gradient entry point (`tf.grad(s)`, `tf.variableGrads`, `optimizer.minimize`) free each
 * intermediate gradient as soon as it has been used. Stock tfjs keeps every intermediate gradient of the
 * backward pass alive until it ends, about as much memory again as the forward activations: at B 64 x L 240
 * that alone overruns the 4 GiB wasm heap. Same gradient functions in the same order: same numbers.
 * Higher-order gradients (a tf.grad inside a tf.grad) keep the stock path. Idempotent.
 */
export function installEagerGradients(): void {
  if (original !== undefined) return;
  const engine = tf.engine() as unknown as GradientEngine;
  const stock = engine.gradients.bind(engine);
  original = stock;
  engine.gradients = (f, xs, dy, allowNoGradients = false) => {
    const internals = engineInternals();
    if (internals.state.gradientDepth > 0) return stock(f, xs, dy, allowNoGradients);
    if (xs.length === 0) throw new Error('gradients() received an empty list of xs.');
    if (dy != null && dy.dtype !== 'float32')
      throw new Error(`dy must have 'float32' dtype, but has '${dy.dtype}'`);
    const y = internals.scopedRun(
      () => internals.startTape(),
      () => internals.endTape(),
      () => internals.tidy('forward', f),
    );
    if (!(y instanceof tf.Tensor)) throw new Error('The result y returned by f() must be a tensor.');
    const tape = internals.state.activeTape ?? [];
    internals.state.activeTape = null;
    try {
      const path = nodesBetween(tape, xs, [y]);
      if (!allowNoGradients && path.length === 0) {
        throw new Error(
          'Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed encloses all operations that lead from x to y.',
        );
      }
      return internals.tidy('backward', () => {
        const seed = dy ?? tf.ones(y.shape);
        const grads = backpropagate(path, [{ y, dy: seed }], xs, { releaseSaved: true });
        return { value: y, grads } as unknown as tf.TensorContainer;
      }) as unknown as { value: tf.Tensor; grads: (tf.Tensor | undefined)[] };
    } finally {
      for (const node of tape) tf.dispose(node.saved ?? []);
    }
  };
}

/** Restores tfjs's own backprop (idempotent). */
export function uninstallEagerGradients(): void {
  if (original === undefined) return;
  delete (tf.engine() as unknown as Partial<GradientEngine>).gradients;
  original = undefined;
}
