import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNativeAddon, useNativeGemm } from './native-gemm.js';
import { selectBackend } from './select-backend.js';
import { installWasmKernels } from './wasm-kernels.js';
import { SOFTMAX_GRAD_KERNEL, uninstallSoftmaxGradient } from './wasm-softmax-grad.js';

// In CI the addon must load (the install builds it): a missing addon fails these tests instead of skipping.
const addon = loadNativeAddon();
const required = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const runNative = addon.gemm !== undefined || required;
const native = () => {
  if (addon.gemm === undefined) throw new Error(`native addon required under CI: ${addon.note}`);
  return addon.gemm;
};

const rng = new Rng('softmax-grad');
const values = (size: number) => Float32Array.from({ length: size }, () => rng.normal());
const bits = (x: Float32Array) => Array.from(new Uint32Array(x.slice().buffer));
const f = Math.fround;

/** tfjs's gradient written out with a float32 rounding after every operation. */
function reference(dy: Float32Array, y: Float32Array, width: number): Float32Array {
  const dx = new Float32Array(dy.length);
  for (let r = 0; r < dy.length / width; r++) {
    let sum = 0;
    for (let j = r * width; j < (r + 1) * width; j++) sum = f(sum + f((dy[j] as number) * (y[j] as number)));
    for (let j = r * width; j < (r + 1) * width; j++) {
      dx[j] = f(f((dy[j] as number) * (y[j] as number)) - f(sum * (y[j] as number)));
    }
  }
  return dx;
}

describe.runIf(runNative)('native softmax gradient (addon)', () => {
  it('computes dy*y - sum(dy*y)*y with float32 roundings in tfjs order, on 1 and 2 threads', () => {
    const threads = native().info().threads;
    try {
      for (const [rows, width, n] of [
        [1, 1, 1],
        [3, 7, 1],
        [5, 240, 1],
        [1201, 240, 2],
        [2000, 33, 2],
      ] as const) {
        native().setThreads(n);
        const size = rows * width;
        const heap = new Float32Array(3 * size);
        const dy = values(size);
        const y = values(size).map(Math.abs);
        heap.set(dy, 0);
        heap.set(y, size);
        native().softmaxGrad(heap.buffer, 0, size * 4, size * 8, rows, width);
        expect(bits(heap.subarray(2 * size)), `${rows} x ${width}`).toEqual(bits(reference(dy, y, width)));
      }
    } finally {
      native().setThreads(threads);
    }
  });

  it('refuses operands outside the heap', () => {
    const heap = new Float32Array(30).buffer;
    expect(() => native().softmaxGrad(heap, 0, 40, 80, 2, 10)).toThrow(/outside the heap/);
  });
});

describe('Softmax gradient on wasm', () => {
  // With MTL2R_NATIVE_GEMM=0 (or no addon outside CI) tfjs's own gradient must run, with the same numbers.
  const nativeExpected = runNative && process.env.MTL2R_NATIVE_GEMM !== '0';
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });
  afterAll(() => {
    useNativeGemm(true);
    installWasmKernels();
  });

  // [2, 3, 50, 240] attention-like logits (above the size where the native kernel takes over).
  const shape = [2, 3, 50, 240];
  const logits = values(2 * 3 * 50 * 240).map((v) => 3 * v);
  const weights = values(2 * 3 * 50 * 240);
  const gradient = () =>
    tf.tidy(() => {
      const w = tf.tensor(weights, shape);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), w)))(tf.tensor(logits, shape));
      return g.dataSync() as Float32Array;
    });
  const kernelsRun = async () => (await tf.profile(() => void gradient())).kernels.map((k) => k.name);

  it("equals tfjs's own gradient on wasm bit for bit, and tfjs-cpu's to float32 precision", async () => {
    const cpu = gradient();
    await selectBackend({ backend: 'wasm' });
    if (nativeExpected) native();
    expect((await kernelsRun()).includes(SOFTMAX_GRAD_KERNEL)).toBe(nativeExpected);
    const ours = gradient();
    uninstallSoftmaxGradient();
    const stock = gradient();
    installWasmKernels();
    expect(bits(ours)).toEqual(bits(stock));
    let worst = 0;
    for (let i = 0; i < ours.length; i++) {
      worst = Math.max(worst, Math.abs((ours[i] as number) - (cpu[i] as number)));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it("falls back to tfjs's gradient when the addon is switched off", async () => {
    await selectBackend({ backend: 'wasm' });
    const ours = gradient();
    useNativeGemm(false);
    const kernels = await kernelsRun();
    const fallback = gradient();
    useNativeGemm(true);
    expect(kernels).not.toContain(SOFTMAX_GRAD_KERNEL);
    expect(bits(fallback)).toEqual(bits(ours));
  });
});
