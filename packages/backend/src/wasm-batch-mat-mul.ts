import * as tf from '@tensorflow/tfjs-core';
import { broadcastIndices } from './broadcast-indices.js';
import { type NativeGemm, nativeGemm } from './native-gemm.js';
import { transposeBlocked } from './transpose-blocked.js';
import { HeapViews, heapOffset, isWasmBackend, type WasmBackend, writeShape } from './wasm-internals.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * A BatchMatMul for the wasm backend that never takes the stock kernel's naive loop. The stock kernel uses
 * XNNPACK only for one batch without transposes and otherwise falls to a loop at 1-2 GFLOP/s: every backward
 * matmul and all batched attention. Here, with the optional native addon built (see native-gemm.ts), OpenBLAS
 * sgemm runs on the operands in place on the heap (transposes included). Otherwise XNNPACK's GEMM runs on
 * views of the heap: transposed operands are first made plain by a blocked transpose (O(size), small next
 * to the GEMM), a broadcast right-hand side folds the batch into the rows (one GEMM), and other batches run
 * one GEMM each, without copies. `fallback` (the stock kernel) handles non-float32 inputs.
 */
export function createWasmBatchMatMul(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const backend = args.backend;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || !isWasmBackend(backend)) return fallback(args);
    const attrs = args.attrs ?? {};
    return batchMatMul(backend, a, b, attrs.transposeA === true, attrs.transposeB === true);
  };
}

function batchMatMul(
  backend: WasmBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): tf.TensorInfo {
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const m = a.shape[transposeA ? aRank - 1 : aRank - 2] ?? 1;
  const k = a.shape[transposeA ? aRank - 2 : aRank - 1] ?? 1;
  const kb = b.shape[transposeB ? bRank - 1 : bRank - 2] ?? 1;
  const n = b.shape[transposeB ? bRank - 2 : bRank - 1] ?? 1;
  if (k !== kb) {
    throw new Error(
      `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  const outOuter = tf.broadcast_util.assertAndGetBroadcastShape(aOuter, bOuter);
  const batchA = size(aOuter);
  const batchB = size(bOuter);
  const batchOut = size(outOuter);
  const out = backend.makeOutput([...outOuter, m, n], 'float32');
  const outSize = batchOut * m * n;
  if (outSize === 0) return out;
  const outOffset = heapOffset(backend, out);
  if (k === 0) {
    new Float32Array(backend.wasm.HEAPU8.buffer, outOffset, outSize).fill(0);
    return out;
  }

  const native = nativeGemm();
  if (native !== undefined) {
    nativeBatchMatMul(native, backend, a, b, out, {
      transposeA,
      transposeB,
      m,
      n,
      k,
      aOuter,
      bOuter,
      outOuter,
    });
    return out;
  }

  const temps: tf.TensorInfo[] = [];
  const views = new HeapViews(backend);
  try {
    // XNNPACK's GEMM wants a as [rows, k] and b as [k, n], row-major.
    const aPlain = transposeA ? transposeLastTwo(backend, a, batchA, k, m, temps) : a;
    const bPlain = transposeB ? transposeLastTwo(backend, b, batchB, n, k, temps) : b;
    const aOffset = heapOffset(backend, aPlain);
    const bOffset = heapOffset(backend, bPlain);
    const gemm = (aAt: number, rows: number, bAt: number, outAt: number) => {
      const aId = views.view(aAt, rows * k);
      const bId = views.view(bAt, k * n);
      const outId = views.view(outAt, rows * n);
      const aShape = writeShape(backend, 0, [1, rows, k]);
      const bShape = writeShape(backend, 1, [1, k, n]);
      backend.wasm._BatchMatMul(aId, aShape, 3, bId, bShape, 3, 0, 0, outId);
      // Unregistering b's view also frees the packed-weights operator XNNPACK cached on its id.
      views.release();
    };
    if (batchB === 1 && batchA === batchOut) {
      // One right-hand side for all batches: stack the batches into rows, one GEMM.
      gemm(aOffset, batchOut * m, bOffset, outOffset);
    } else {
      const aIndex = broadcastIndices(outOuter, aOuter);
      const bIndex = broadcastIndices(outOuter, bOuter);
      for (let i = 0; i < batchOut; i++) {
        gemm(
          aOffset + (aIndex[i] ?? 0) * m * k * 4,
          m,
          bOffset + (bIndex[i] ?? 0) * k * n * 4,
          outOffset + i * m * n * 4,
        );
      }
    }
  } finally {
    views.release();
    for (const t of temps) backend.disposeData(t.dataId);
  }
  return out;
}

interface Geometry {
  transposeA: boolean;
  transposeB: boolean;
  m: number;
  n: number;
  k: number;
  aOuter: number[];
  bOuter: number[];
  outOuter: number[];
}

/** The same product with the native sgemm: transposes are free there, so operands are used in place. */
function nativeBatchMatMul(
  native: NativeGemm,
  backend: WasmBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  out: tf.TensorInfo,
  g: Geometry,
): void {
  const aAt = heapOffset(backend, a);
  const bAt = heapOffset(backend, b);
  const outAt = heapOffset(backend, out);
  const heap = backend.wasm.HEAPU8.buffer as ArrayBuffer;
  const batchOut = size(g.outOuter);
  if (size(g.bOuter) === 1 && size(g.aOuter) === batchOut && !g.transposeA) {
    // Shared right-hand side: all batches are one tall GEMM.
    native.gemm(
      heap,
      false,
      g.transposeB,
      batchOut * g.m,
      g.n,
      g.k,
      Uint32Array.of(aAt),
      Uint32Array.of(bAt),
      Uint32Array.of(outAt),
    );
    return;
  }
  const aIndex = broadcastIndices(g.outOuter, g.aOuter);
  const bIndex = broadcastIndices(g.outOuter, g.bOuter);
  const aOffsets = new Uint32Array(batchOut);
  const bOffsets = new Uint32Array(batchOut);
  const outOffsets = new Uint32Array(batchOut);
  for (let i = 0; i < batchOut; i++) {
    aOffsets[i] = aAt + (aIndex[i] ?? 0) * g.m * g.k * 4;
    bOffsets[i] = bAt + (bIndex[i] ?? 0) * g.k * g.n * 4;
    outOffsets[i] = outAt + i * g.m * g.n * 4;
  }
  native.gemm(heap, g.transposeA, g.transposeB, g.m, g.n, g.k, aOffsets, bOffsets, outOffsets);
}

/** [batch, rows, cols] -> [batch, cols, rows] into a new heap buffer (freed by the caller via `temps`). */
function transposeLastTwo(
  backend: WasmBackend,
  x: tf.TensorInfo,
  batch: number,
  rows: number,
  cols: number,
  temps: tf.TensorInfo[],
): tf.TensorInfo {
  const result = backend.makeOutput([batch, cols, rows], 'float32');
  temps.push(result);
  const count = batch * rows * cols;
  const heap = backend.wasm.HEAPU8.buffer;
  transposeBlocked(
    new Float32Array(heap, heapOffset(backend, x), count),
    new Float32Array(heap, heapOffset(backend, result), count),
    batch,
    rows,
    cols,
  );
  return result;
}
