import * as tf from '@tensorflow/tfjs-core';
import { type RetainedTape, recordTape } from './retained-tape.js';

export interface PerTaskGradients {
  /** The K loss values. */
  losses: Float32Array;
  /** grads[k][v]: gradient of loss k with respect to variables[v] (zeros if it does not depend on it). Caller disposes. */
  grads: tf.Tensor[][];
}

/**
 * Gradients of each of K losses with respect to `variables`, from ONE forward pass: the forward is recorded
 * once and K backward passes run over the kept tape (PyTorch's `backward(retain_graph=True)` K times). All K
 * gradients therefore belong to the same network, including the same dropout masks.
 */
export function perTaskGradients(
  forward: () => tf.Scalar[],
  variables: readonly tf.Variable[],
): PerTaskGradients {
  const tape = recordTape(forward);
  try {
    const grads = tape.outputs.map((loss) => tape.backward([{ y: loss }], variables));
    return { losses: lossValues(tape.outputs), grads };
  } finally {
    tape.dispose();
  }
}

export interface RepresentationGradients {
  losses: Float32Array;
  /** reprGrads[k]: gradient of loss k with respect to the representation (shape of the representation). Caller disposes. */
  reprGrads: tf.Tensor[];
  /**
   * One vector-Jacobian product through the trunk: gradients with respect to `variables` of
   * <representation, upstream> + sum_k weights[k] * loss_k's head-only part, i.e. exactly
   * d(sum_k weights[k] loss_k)/d variables when `upstream` = sum_k weights[k] reprGrads[k].
   * Callable any number of times until `dispose`.
   */
  backward(upstream: tf.Tensor, weights: ArrayLike<number>): tf.Tensor[];
  /** Releases the recorded forward pass. */
  dispose(): void;
}

/**
 * Representation-space per-task gradients (MGDA-UB style): the trunk runs once, each task's gradient is
 * taken only with respect to the shared representation (backward through the cheap heads only), and the
 * combined update needs a single backward through the trunk (`backward`).
 * `heads(z)` must compute the K losses from the representation `z` alone (plus head variables).
 */
export function representationGradients(
  trunk: () => tf.Tensor,
  heads: (representation: tf.Tensor) => tf.Scalar[],
  variables: readonly tf.Variable[],
): RepresentationGradients {
  const tape = recordTape(() => {
    const z = trunk();
    return [z, ...heads(z)];
  });
  const [z, ...losses] = tape.outputs as [tf.Tensor, ...tf.Scalar[]];
  try {
    const reprGrads = losses.map((loss) => tape.backward([{ y: loss }], [z])[0] as tf.Tensor);
    return {
      losses: lossValues(losses),
      reprGrads,
      backward: (upstream, weights) => {
        // Head parameters get their weighted task gradients; the trunk gets the upstream representation gradient.
        // The head-only paths are cut at z by seeding z with `upstream` and the losses with their weights.
        const seeds = losses.map((y, k) => ({ y, dy: tf.scalar(weights[k] ?? 0) }));
        try {
          return backwardCutAtZ(tape, z, upstream, seeds, variables);
        } finally {
          tf.dispose(seeds.map((s) => s.dy));
        }
      },
      dispose: () => tape.dispose(),
    };
  } catch (error) {
    tape.dispose();
    throw error;
  }
}

/**
 * Gradients for `variables` where the trunk part (everything up to z) receives exactly `upstream` at z, and
 * head variables receive the weighted loss gradients. The heads' contribution to z from the loss seeds is
 * removed by subtracting it from z's seed: two walks over the heads, one over the trunk.
 */
function backwardCutAtZ(
  tape: RetainedTape<tf.Tensor[]>,
  z: tf.Tensor,
  upstream: tf.Tensor,
  seeds: { y: tf.Tensor; dy: tf.Tensor }[],
  variables: readonly tf.Variable[],
): tf.Tensor[] {
  return tf.tidy(() => {
    // 1. Heads only (the walk starts at z): what the weighted losses send back to z.
    const headToZ = tape.backward(seeds, [z])[0] as tf.Tensor;
    // 2. one walk from z and the losses together, with z seeded by upstream minus what the heads send it, so
    //    the trunk sees exactly `upstream`.
    const correction = tf.sub(upstream, headToZ);
    return tape.backward([...seeds, { y: z, dy: correction }], [...variables]);
  });
}

function lossValues(losses: readonly tf.Tensor[]): Float32Array {
  const values = new Float32Array(losses.length);
  losses.forEach((loss, k) => {
    if (loss.size !== 1) throw new Error(`loss ${k} must be a scalar, got shape [${loss.shape.join(', ')}]`);
    values[k] = loss.dataSync()[0] as number;
  });
  return values;
}
