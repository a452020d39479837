import type * as tf from '@tensorflow/tfjs-core';
import { isWasmBackend } from './wasm-internals.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Identity (what `tensor.clone()` and the gradient tape's saved inputs run) that shares the input's heap
 * buffer by reference count, as the cpu backend and the wasm Reshape kernel already do, instead of copying
 * it. Safe because wasm kernels never write into their inputs. Saves one full copy (time and heap) of every
 * tensor the tape keeps for backprop.
 */
export function createWasmIdentity(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    const backend = args.backend;
    if (x.dtype === 'string' || !isWasmBackend(backend)) return fallback(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
