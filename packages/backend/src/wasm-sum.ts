import * as tf from '@tensorflow/tfjs-core';
import { nativeGemm } from './native-gemm.js';
import { heapOffset, isWasmBackend } from './wasm-internals.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Sum over the leading axes of a float32 tensor (every bias gradient: [rows, width] -> [width]) without
 * the stock kernel's full transpose of the input: rows are added into the output in order. Each output is
 * accumulated in float32 over the rows in the same order as the stock kernel's loop, so the numbers are
 * identical. With the native addon the same loop runs vectorised there (same order, same rounding). Other
 * reductions go to the stock kernel (`fallback`).
 */
export function createWasmSum(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    const backend = args.backend;
    const attrs = (args.attrs ?? {}) as { axis?: number | number[]; keepDims?: boolean };
    if (x.dtype !== 'float32' || !isWasmBackend(backend)) return fallback(args);
    const rank = x.shape.length;
    // Axes in the given order: the stock kernel sums in that order ([1, 0] differs from [0, 1] in rounding).
    const axes = tf.util.parseAxisParam(attrs.axis ?? [], x.shape);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (!leading) return fallback(args);
    const rows = x.shape.slice(0, axes.length).reduce((p, d) => p * d, 1);
    const width = x.shape.slice(axes.length).reduce((p, d) => p * d, 1);
    const outShape =
      attrs.keepDims === true ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const out = backend.makeOutput(outShape, 'float32');
    const native = nativeGemm();
    if (native !== undefined) {
      native.sumRows(
        backend.wasm.HEAPU8.buffer as ArrayBuffer,
        heapOffset(backend, x),
        rows,
        width,
        heapOffset(backend, out),
      );
      return out;
    }
    const heap = backend.wasm.HEAPU8.buffer;
    const input = new Float32Array(heap, heapOffset(backend, x), rows * width);
    const sums = new Float32Array(heap, heapOffset(backend, out), width);
    sums.fill(0);
    // Four rows per pass with Math.fround after every addition: the same float32 rounding, in the same row
    // order, as the C++ accumulator, with a quarter of the loads and stores of the sums.
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const b0 = r * width;
      const b1 = b0 + width;
      const b2 = b1 + width;
      const b3 = b2 + width;
      for (let c = 0; c < width; c++) {
        let s = Math.fround((sums[c] as number) + (input[b0 + c] as number));
        s = Math.fround(s + (input[b1 + c] as number));
        s = Math.fround(s + (input[b2 + c] as number));
        sums[c] = s + (input[b3 + c] as number);
      }
    }
    for (; r < rows; r++) {
      const base = r * width;
      for (let c = 0; c < width; c++) sums[c] = (sums[c] as number) + (input[base + c] as number);
    }
    return out;
  };
}
