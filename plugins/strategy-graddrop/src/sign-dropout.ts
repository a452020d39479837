import * as tf from '@tensorflow/tfjs-core';

/** Keeps P = 0.5 (1 + sum_i g / sum_i |g|) finite where every task's gradient is 0 (as the reference's 1e-8). */
const PURITY_EPSILON = 1e-8;

/**
 * GradDrop's combined gradient (Chen et al. 2020, Algorithm 1) for [K, N] task gradients and N uniform draws:
 * per coordinate the sign purity P = 0.5 (1 + sum_i g_i / sum_i |g_i|); a draw U < P keeps the positive
 * entries, U > P the negative ones, and the rest are multiplied by `leak`; the result is the sum over tasks
 * sum_i g_i (leak + (1 - leak) M_i) [N]. An entry survives iff sign(g_i) (P - U) > 0, so the mask is one
 * broadcast product and a step; the sums over tasks are [1, K] x [K, N] matMuls (the backend's fast path;
 * a reduction over axis 0 would transpose). All on the backend; the caller owns the result.
 */
export function signDropout(grads: tf.Tensor2D, uniforms: tf.Tensor1D, leak = 0): tf.Tensor1D {
  const [taskCount, width] = grads.shape;
  if (uniforms.shape[0] !== width) {
    throw new RangeError(`signDropout: ${uniforms.shape[0]} draws for ${width} gradient coordinates`);
  }
  if (!(leak >= 0 && leak <= 1)) throw new RangeError(`signDropout: leak must be in [0, 1], got ${leak}`);
  return tf.tidy(() => {
    const ones = tf.ones([1, taskCount]);
    const total = tf.matMul(ones, grads); // [1, N]
    const mass = tf.matMul(ones, tf.abs(grads));
    const purity = tf.mul(0.5, tf.add(1, tf.div(total, tf.add(mass, PURITY_EPSILON))));
    const margin = tf.sub(purity, tf.reshape(uniforms, [1, width]));
    const mask = tf.step(tf.mul(tf.sign(grads), margin)); // 1 where the entry's sign won the draw, else 0
    const factor = leak === 0 ? mask : tf.add(leak, tf.mul(1 - leak, mask));
    return tf.reshape(tf.matMul(ones, tf.mul(grads, factor)), [width]) as tf.Tensor1D;
  });
}

/** torch.nn.utils.clip_grad_norm_ on one direction: scaled by min(1, maxNorm / (||d|| + 1e-6)). Takes ownership. */
export async function clipDirection(
  direction: tf.Tensor1D,
  maxNorm: number,
): Promise<{ direction: tf.Tensor1D; scale: number }> {
  const normTensor = tf.norm(direction);
  const norm = (await normTensor.data())[0] as number;
  normTensor.dispose();
  const scale = Math.min(1, maxNorm / (norm + 1e-6));
  if (scale === 1) return { direction, scale };
  const scaled = tf.mul(direction, scale) as tf.Tensor1D;
  direction.dispose();
  return { direction: scaled, scale };
}
