import * as tf from '@tensorflow/tfjs-core';
import { nativeGemm } from './native-gemm.js';
import { heapOffset, isWasmBackend } from './wasm-internals.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** The kernel: inputs { dy, y } of one shape, float32; the gradient of softmax over the last axis. */
export const SOFTMAX_GRAD_KERNEL = 'Mtl2rSoftmaxGrad';

/** Below this many elements tfjs's four small kernels cost less than a call into the addon. */
const NATIVE_MIN_SIZE = 16384;

function softmaxGradKernel(args: KernelArgs): tf.TensorInfo {
  const { dy, y } = args.inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  const backend = args.backend;
  const native = nativeGemm();
  if (native === undefined || !isWasmBackend(backend)) {
    throw new Error(`${SOFTMAX_GRAD_KERNEL}: needs the native addon on the wasm backend`);
  }
  const width = y.shape[y.shape.length - 1] ?? 1;
  const size = y.shape.reduce((p, d) => p * d, 1);
  const out = backend.makeOutput([...y.shape], 'float32');
  if (size > 0) {
    native.softmaxGrad(
      backend.wasm.HEAPU8.buffer as ArrayBuffer,
      heapOffset(backend, dy),
      heapOffset(backend, y),
      heapOffset(backend, out),
      size / width,
      width,
    );
  }
  return out;
}

let stock: tf.GradConfig | undefined;

/**
 * Registers SOFTMAX_GRAD_KERNEL on wasm and makes Softmax's gradient use it while the addon is in use, for
 * float32 softmax over the last axis of at least NATIVE_MIN_SIZE elements; anything else takes tfjs's own
 * gradient. One pass instead of four kernels and three [B, h, L, L] temporaries; same bits. Idempotent.
 */
export function installSoftmaxGradient(): void {
  if (tf.getKernel(SOFTMAX_GRAD_KERNEL, 'wasm') === undefined) {
    tf.registerKernel({
      kernelName: SOFTMAX_GRAD_KERNEL,
      backendName: 'wasm',
      kernelFunc: softmaxGradKernel,
    });
  }
  if (stock !== undefined) return;
  const original = tf.getGradient(tf.Softmax);
  if (original === undefined) return; // gradients not registered yet: nothing to speed up
  stock = original;
  tf.registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [y] = saved as tf.Tensor[];
      const g = dy as tf.Tensor;
      const { dim } = attrs as { dim: number };
      const lastAxis = y !== undefined && (dim === -1 || dim === y.rank - 1);
      if (
        y === undefined ||
        !lastAxis ||
        y.dtype !== 'float32' ||
        g.dtype !== 'float32' ||
        y.size < NATIVE_MIN_SIZE ||
        nativeGemm() === undefined ||
        tf.getBackend() !== 'wasm' ||
        tf.getKernel(SOFTMAX_GRAD_KERNEL, 'wasm') === undefined
      ) {
        return original.gradFunc(dy, saved, attrs);
      }
      return { logits: () => tf.engine().runKernel(SOFTMAX_GRAD_KERNEL, { dy: g, y }) as tf.Tensor };
    },
  });
}

/** Puts tfjs's own Softmax gradient back and removes the kernel (idempotent). */
export function uninstallSoftmaxGradient(): void {
  if (tf.getKernel(SOFTMAX_GRAD_KERNEL, 'wasm') !== undefined)
    tf.unregisterKernel(SOFTMAX_GRAD_KERNEL, 'wasm');
  if (stock === undefined) return;
  tf.registerGradient(stock);
  stock = undefined;
}
