import * as tf from '@tensorflow/tfjs-core';

/**
 * The Gram matrix M = G G^T of K per-task gradients G [K, P], as a row-major Float64Array of K*K entries.
 * One matMul on the backend (K^2 P multiply-adds); only the K*K result is read back, never G.
 * The result is symmetrised (float32 accumulation order can differ between (i, j) and (j, i)).
 */
export function gramMatrix(grads: tf.Tensor2D): Float64Array {
  const product = gramTensor(grads);
  try {
    return symmetrise(product.dataSync(), grads.shape[0]);
  } finally {
    product.dispose();
  }
}

/** `gramMatrix` without blocking the thread on backends that read back asynchronously (webgl, webgpu). */
export async function gramMatrixAsync(grads: tf.Tensor2D): Promise<Float64Array> {
  const product = gramTensor(grads);
  try {
    return symmetrise(await product.data(), grads.shape[0]);
  } finally {
    product.dispose();
  }
}

function gramTensor(grads: tf.Tensor2D): tf.Tensor2D {
  if (grads.rank !== 2)
    throw new RangeError(`gramMatrix needs a rank-2 tensor [K, P], got shape [${grads.shape.join(', ')}]`);
  if (grads.shape[0] === 0) throw new RangeError('gramMatrix needs at least one task gradient (K >= 1)');
  return tf.tidy(() => {
    const floats = grads.dtype === 'float32' ? grads : tf.cast(grads, 'float32');
    return tf.matMul(floats, floats, false, true);
  });
}

function symmetrise(values: ArrayLike<number>, size: number): Float64Array {
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    out[i * size + i] = values[i * size + i] as number;
    for (let j = i + 1; j < size; j++) {
      const mean = 0.5 * ((values[i * size + j] as number) + (values[j * size + i] as number));
      out[i * size + j] = mean;
      out[j * size + i] = mean;
    }
  }
  return out;
}
