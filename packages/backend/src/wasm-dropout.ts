import { DROPOUT_KERNEL, type DropoutStream, fillDropoutMask } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { engineInternals } from './backprop.js';
import { nativeGemm } from './native-gemm.js';
import { heapOffset, isWasmBackend } from './wasm-internals.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * The mask of each dropout recorded on a gradient tape, as keep bits (1 bit per element: 13 MB for the
 * ranker's reference step), keyed by the kernel's attrs object, which the tape hands back unchanged to the
 * gradient. The K backward passes over one retained tape then multiply by the kept bits instead of drawing
 * the mask again; the entry goes when the tape (and so its attrs) is garbage. The bits are a function of
 * (stream, size) alone, so using them is exact wherever the same attrs and size come back.
 */
const keptMasks = new WeakMap<object, { size: number; bits: Uint32Array }>();

/**
 * core's DROPOUT_KERNEL on the wasm backend: y = x * mask with the mask drawn by the native addon straight
 * into the multiply (no mask tensor, no JS array copied into the heap). If the addon is switched off after
 * registration (`useNativeGemm(false)`), the mask is filled in JS with core's fillDropoutMask: same bits.
 */
function dropoutKernel(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const stream = args.attrs as unknown as DropoutStream;
  const backend = args.backend;
  if (!isWasmBackend(backend)) throw new Error(`${DROPOUT_KERNEL}: registered for wasm, got another backend`);
  if (x.dtype !== 'float32') throw new Error(`${DROPOUT_KERNEL}: x must be float32, got ${x.dtype}`);
  const size = x.shape.reduce((p, d) => p * d, 1);
  const out = backend.makeOutput([...x.shape], 'float32');
  if (size === 0) return out;
  // Read after makeOutput: allocating may grow (and replace) the heap buffer.
  const heap = backend.wasm.HEAPU8.buffer as ArrayBuffer;
  const xAt = heapOffset(backend, x);
  const outAt = heapOffset(backend, out);
  const native = nativeGemm();
  if (native !== undefined) {
    const kept = keptMasks.get(stream);
    if (kept !== undefined && kept.size === size) {
      native.dropoutBits(heap, xAt, outAt, size, kept.bits, stream.keepScale);
      return out;
    }
    // Recording a tape (the kernel itself runs one level below it): keep the mask for the backward passes.
    const recording = engineInternals().state.gradientDepth > 0;
    const bits = recording ? new Uint32Array(Math.ceil(size / 32)) : undefined;
    native.dropout(
      heap,
      xAt,
      outAt,
      size,
      Uint32Array.from(stream.state),
      stream.threshold,
      stream.keepScale,
      bits,
    );
    if (bits !== undefined) keptMasks.set(stream, { size, bits });
    return out;
  }
  const mask = new Float32Array(size);
  fillDropoutMask(stream, mask);
  const xs = new Float32Array(heap, xAt, size);
  const ys = new Float32Array(heap, outAt, size);
  for (let i = 0; i < size; i++) ys[i] = (xs[i] as number) * (mask[i] as number);
  return out;
}

let gradientRegistered = false;

/**
 * Registers DROPOUT_KERNEL on wasm (idempotent). Its gradient is the same kernel on dy with the same attrs:
 * it multiplies by the keep bits the forward kept (`keptMasks`), or redraws the mask from the stream where
 * none were kept. No tensor is saved on the tape.
 */
export function registerWasmDropout(): void {
  if (!gradientRegistered) {
    tf.registerGradient({
      kernelName: DROPOUT_KERNEL,
      gradFunc: (dy, _saved, attrs) => ({
        x: () => tf.engine().runKernel(DROPOUT_KERNEL, { x: dy as tf.Tensor }, attrs) as tf.Tensor,
      }),
    });
    gradientRegistered = true;
  }
  if (tf.getKernel(DROPOUT_KERNEL, 'wasm') !== undefined) return;
  tf.registerKernel({ kernelName: DROPOUT_KERNEL, backendName: 'wasm', kernelFunc: dropoutKernel });
}

/** Removes the wasm DROPOUT_KERNEL (the encoder then multiplies by mask tensors). Idempotent. */
export function unregisterWasmDropout(): void {
  if (tf.getKernel(DROPOUT_KERNEL, 'wasm') !== undefined) tf.unregisterKernel(DROPOUT_KERNEL, 'wasm');
}
