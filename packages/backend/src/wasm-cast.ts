import type * as tf from '@tensorflow/tfjs-core';
import { isWasmBackend } from './wasm-internals.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Cast that, when the dtype does not change, shares the input's heap buffer by reference count (as the cpu
 * backend does) instead of copying it. tfjs's Multiply gradient runs `cast(saved, 'float32')` on the other
 * operand of every recorded multiply, so the stock kernel copied a full float32 activation per multiply per
 * backward pass (about 330 copies in the K = 5 per-task step). Safe because wasm kernels never write into
 * their inputs. A real conversion (bool -> float32, ...) goes to the stock kernel.
 */
export function createWasmCast(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    const dtype = (args.attrs as { dtype?: tf.DataType } | undefined)?.dtype;
    const backend = args.backend;
    if (dtype !== x.dtype || x.dtype === 'string' || x.dtype === 'complex64' || !isWasmBackend(backend))
      return fallback(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
