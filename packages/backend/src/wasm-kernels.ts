import * as tf from '@tensorflow/tfjs-core';
import { nativeGemm } from './native-gemm.js';
import { installReductionGradients, uninstallReductionGradients } from './reduction-gradients.js';
import { createWasmBatchMatMul } from './wasm-batch-mat-mul.js';
import { createWasmBinary } from './wasm-binary.js';
import { createWasmCast } from './wasm-cast.js';
import { registerWasmDropout, unregisterWasmDropout } from './wasm-dropout.js';
import { createWasmIdentity } from './wasm-identity.js';
import { installSoftmaxGradient, uninstallSoftmaxGradient } from './wasm-softmax-grad.js';
import { createWasmSum } from './wasm-sum.js';
import { createWasmTile } from './wasm-tile.js';

/** The stock kernels we replaced, by kernel name, so they can be restored (and compared against in tests). */
const stock = new Map<string, tf.KernelConfig>();

const replacements: Record<string, (fallback: tf.KernelFunc) => tf.KernelFunc> = {
  [tf.BatchMatMul]: createWasmBatchMatMul,
  [tf.Identity]: createWasmIdentity,
  [tf.Cast]: createWasmCast,
  [tf.Sum]: createWasmSum,
  [tf.Tile]: createWasmTile,
  [tf.Add]: createWasmBinary(tf.Add),
  [tf.Sub]: createWasmBinary(tf.Sub),
  [tf.Multiply]: createWasmBinary(tf.Multiply),
};

/** Names of the wasm kernels mtl2r replaces. */
export const WASM_KERNEL_NAMES: readonly string[] = Object.keys(replacements);

/**
 * Replaces slow wasm kernels with ours (idempotent); when the native addon loads, also adds core's
 * DROPOUT_KERNEL (masks drawn natively, kept as bits for the backward passes) and a one-pass Softmax
 * gradient; Sum and Mean get gradients without a tensor of ones (reduction-gradients.ts). `selectBackend` calls it when it picks wasm. Returns the names of the kernels now replaced.
 */
export function installWasmKernels(): string[] {
  for (const [name, make] of Object.entries(replacements)) {
    if (stock.has(name)) continue;
    const original = tf.getKernel(name, 'wasm');
    if (original == null) continue;
    stock.set(name, original);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: make(original.kernelFunc) });
  }
  installReductionGradients();
  if (nativeGemm() !== undefined) {
    registerWasmDropout();
    installSoftmaxGradient();
  }
  return [...stock.keys()];
}

/** Puts the stock tfjs wasm kernels and Softmax, Sum and Mean gradients back, removes the dropout kernel (idempotent). */
export function uninstallWasmKernels(): void {
  unregisterWasmDropout();
  uninstallSoftmaxGradient();
  uninstallReductionGradients();
  for (const [name, original] of stock) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(original);
  }
  stock.clear();
}

/** The stock tfjs wasm kernel function we replaced, while ours is installed. */
export function stockWasmKernel(name: string): tf.KernelFunc | undefined {
  return stock.get(name)?.kernelFunc;
}
