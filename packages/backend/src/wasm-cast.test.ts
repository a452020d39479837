import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';
import { installWasmKernels, uninstallWasmKernels } from './wasm-kernels.js';

describe('wasm Cast (shared buffer when the dtype stays)', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'wasm' });
  });
  afterAll(() => installWasmKernels());

  it('casts to the same dtype without copying; each tensor lives independently', () => {
    const backend = tf.backend();
    const x = tf.tensor2d([1.5, -2, 3, 4], [2, 2]);
    const buffers = backend.numDataIds();
    const y = tf.cast(x, 'float32');
    expect(y).not.toBe(x);
    expect(backend.numDataIds()).toBe(buffers); // same heap buffer, one more reference
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3, 4]);
    y.dispose();
    expect(backend.numDataIds()).toBe(buffers - 1);
  });

  it('still converts when the dtype changes (stock kernel)', () => {
    const flags = tf.tensor1d([true, false, true], 'bool');
    const floats = tf.cast(flags, 'float32');
    expect(floats.dtype).toBe('float32');
    expect(Array.from(floats.dataSync())).toEqual([1, 0, 1]);
    const ints = tf.cast(tf.tensor1d([1.7, -2.2, 0]), 'int32');
    expect(Array.from(ints.dataSync())).toEqual([1, -2, 0]);
    tf.dispose([flags, floats, ints]);
  });

  it('leaves multiply gradients bit-identical to the stock (copying) kernel', () => {
    const a = tf.tensor2d(
      Float32Array.from({ length: 60 }, (_, i) => Math.sin(i) * 3),
      [6, 10],
    );
    const b = tf.tensor1d(Float32Array.from({ length: 10 }, (_, i) => Math.cos(i) + 0.1));
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.mul(x, y), tf.relu(x)));
    const read = () =>
      tf.tidy(() =>
        tf
          .grads(f)([a, b])
          .map((g) => Array.from(g.dataSync())),
      );
    const ours = read();
    uninstallWasmKernels();
    const stock = read();
    installWasmKernels();
    expect(ours).toEqual(stock);
    tf.dispose([a, b]);
  });
});
