import * as tf from '@tensorflow/tfjs-core';
import { nativeGemm } from './native-gemm.js';
import { heapOffset, isWasmBackend } from './wasm-internals.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Smaller tensors stay on the stock kernel: the call into the addon would cost more than it saves. */
const NATIVE_MIN_SIZE = 16384;

const OPS = { [tf.Add]: 0, [tf.Sub]: 1, [tf.Multiply]: 2 } as const;

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * True when `shape`, broadcast to `outShape`, only repeats over leading axes: left-padded with 1s, it is
 * 1 up to some axis and equal to `outShape` from there on (a bias [d] against [rows, d], a scalar, an
 * equal shape). Its data then repeats every size(shape) elements of the output.
 */
export function repeatsOverLeadingAxes(shape: readonly number[], outShape: readonly number[]): boolean {
  const padded = [...new Array<number>(outShape.length - shape.length).fill(1), ...shape];
  const first = padded.findIndex((d) => d !== 1);
  if (first < 0) return true;
  return padded.every((d, i) => i < first || d === outShape[i]);
}

/**
 * Add, Sub and Multiply for the wasm backend run by the native addon when it is loaded: float32 tensors
 * where each operand is the output's shape or repeats over its leading axes (every bias add, residual, mask
 * and scale in the ranker). Same float32 operations as the stock kernel, so results are bit-identical;
 * the addon vectorises them and streams large tensors on two threads. Anything else goes to `fallback`.
 */
export function createWasmBinary(kernelName: keyof typeof OPS) {
  const op = OPS[kernelName];
  return (fallback: tf.KernelFunc): tf.KernelFunc =>
    (args: KernelArgs) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const backend = args.backend;
      const native = nativeGemm();
      if (native === undefined || a.dtype !== 'float32' || b.dtype !== 'float32' || !isWasmBackend(backend)) {
        return fallback(args);
      }
      const outShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const outSize = size(outShape);
      const aSize = size(a.shape);
      const bSize = size(b.shape);
      if (
        outSize < NATIVE_MIN_SIZE ||
        aSize === 0 ||
        bSize === 0 ||
        !repeatsOverLeadingAxes(a.shape, outShape) ||
        !repeatsOverLeadingAxes(b.shape, outShape)
      ) {
        return fallback(args);
      }
      const out = backend.makeOutput(outShape, 'float32');
      native.binary(
        backend.wasm.HEAPU8.buffer as ArrayBuffer,
        op,
        heapOffset(backend, a),
        aSize,
        heapOffset(backend, b),
        bSize,
        heapOffset(backend, out),
        outSize,
      );
      return out;
    };
}
