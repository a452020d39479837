import { DROPOUT_KERNEL, dropoutStream, fillDropoutMask, Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNativeAddon, useNativeGemm } from './native-gemm.js';
import { recordTape } from './retained-tape.js';
import { selectBackend } from './select-backend.js';
import { registerWasmDropout, unregisterWasmDropout } from './wasm-dropout.js';

// In CI the addon must load (the install builds it): a missing addon fails these tests instead of skipping.
const addon = loadNativeAddon();
const required = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const runNative = addon.gemm !== undefined || required;
const native = () => {
  if (addon.gemm === undefined) throw new Error(`native addon required under CI: ${addon.note}`);
  return addon.gemm;
};

const rng = new Rng('wasm-dropout');
const values = (size: number) => Float32Array.from({ length: size }, () => rng.normal());
/** x * mask as the encoder's JS path computes it (float32 products). */
const reference = (x: Float32Array, site: string, seed: number, rate: number) => {
  const mask = new Float32Array(x.length);
  fillDropoutMask(dropoutStream(seed, site, rate), mask);
  return x.map((v, i) => v * (mask[i] as number));
};
const bits = (x: Float32Array) => new Uint32Array(x.buffer, x.byteOffset, x.length);

describe.runIf(runNative)('native dropout (addon)', () => {
  it("draws exactly fillDropoutMask's masks, for many sizes (odd ones too), seeds and rates", () => {
    for (const size of [1, 2, 3, 7, 2047, 2048, 2049, 4097, 30_001, 140_001]) {
      for (const [seed, rate] of [
        [1, 0.01],
        [2, 0.1],
        [3, 0.3],
        [4, 0.5],
        [5, 0.9],
        [123456789, 0.3],
      ] as const) {
        const site = `s${size}`;
        const stream = dropoutStream(seed, site, rate);
        // heap: x at float 3 (an odd byte offset of 12), out after it
        const heap = new Float32Array(3 + 2 * size);
        heap.set(values(size), 3);
        const x = heap.slice(3, 3 + size);
        native().dropout(
          heap.buffer,
          12,
          (3 + size) * 4,
          size,
          Uint32Array.from(stream.state),
          stream.threshold,
          stream.keepScale,
        );
        const expected = bits(reference(x, site, seed, rate));
        const got = bits(heap.subarray(3 + size));
        expect(got.filter((b, i) => b !== expected[i]).length, `size ${size} seed ${seed}`).toBe(0);
      }
    }
  });

  it('cuts the stream into segments that join up exactly, on 1 to 3 threads', () => {
    const threads = native().info().threads;
    const size = 600_001; // 300,001 words: threads from 262,144 words; segments end inside a block of draws
    const x = Float32Array.from({ length: size }, (_, i) => (i % 97) - 48.5);
    const expected = bits(reference(x, 'long', 77, 0.3));
    const stream = dropoutStream(77, 'long', 0.3);
    try {
      for (const n of [1, 2, 3]) {
        native().setThreads(n);
        const heap = new Float32Array(2 * size);
        heap.set(x);
        native().dropout(
          heap.buffer,
          0,
          size * 4,
          size,
          Uint32Array.from(stream.state),
          stream.threshold,
          stream.keepScale,
        );
        const got = bits(heap.subarray(size));
        expect(got.filter((b, i) => b !== expected[i]).length, `${n} threads`).toBe(0);
      }
    } finally {
      native().setThreads(threads);
    }
  });

  it('multiplies like a tensor multiply: NaN and infinities stay NaN where dropped, -0 keeps its sign', () => {
    const x = Float32Array.from({ length: 64 }, (_, i) =>
      i % 4 === 0 ? Number.NaN : i % 4 === 1 ? Number.POSITIVE_INFINITY : i % 4 === 2 ? -(i + 1) : -0,
    );
    const stream = dropoutStream(9, 'special', 0.5);
    const heap = new Float32Array(128);
    heap.set(x);
    native().dropout(
      heap.buffer,
      0,
      0,
      64,
      Uint32Array.from(stream.state),
      stream.threshold,
      stream.keepScale,
    );
    expect(bits(heap.subarray(0, 64))).toEqual(bits(reference(x, 'special', 9, 0.5)));
  });

  it('refuses a bad state, threshold or an operand outside the heap', () => {
    const heap = new Float32Array(16).buffer;
    expect(() => native().dropout(heap, 0, 0, 16, Uint32Array.of(1, 2, 3), 10, 1)).toThrow(/4 words/);
    expect(() => native().dropout(heap, 0, 0, 16, Uint32Array.of(0, 0, 0, 0), 10, 1)).toThrow(/not all zero/);
    expect(() => native().dropout(heap, 0, 0, 16, Uint32Array.of(1, 2, 3, 4), 70000, 1)).toThrow(/threshold/);
    expect(() => native().dropout(heap, 0, 4, 16, Uint32Array.of(1, 2, 3, 4), 10, 1)).toThrow(
      /outside the heap/,
    );
  });
});

describe.runIf(runNative)('DROPOUT_KERNEL on wasm', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'wasm' });
    registerWasmDropout();
  });
  afterAll(() => {
    useNativeGemm(true);
  });

  const run = (x: tf.Tensor, seed: number, rate: number, site: string) =>
    tf.engine().runKernel(DROPOUT_KERNEL, { x }, dropoutStream(seed, site, rate) as never) as tf.Tensor;

  it('is registered by the wasm backend when the addon loads, and computes x * mask natively and in JS', () => {
    expect(tf.getKernel(DROPOUT_KERNEL, 'wasm')).toBeDefined();
    const data = values(3 * 5 * 7);
    const expected = bits(reference(data, 'k', 11, 0.3));
    for (const on of [true, false]) {
      useNativeGemm(on);
      const y = tf.tidy(() => run(tf.tensor3d(data, [3, 5, 7]), 11, 0.3, 'k'));
      expect(y.shape).toEqual([3, 5, 7]);
      expect(bits(y.dataSync() as Float32Array)).toEqual(expected);
      y.dispose();
    }
    useNativeGemm(true);
  });

  it('has the gradient dy * mask (kept as bits beside the tape): no tensor is saved on the tape', () => {
    const data = values(40_000);
    const weights = values(40_000);
    const x = tf.tensor1d(data);
    const w = tf.tensor1d(weights);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(run(t, 5, 0.25, 'g'), w)))(x);
    const expected = reference(weights, 'g', 5, 0.25);
    expect(bits(grad.dataSync() as Float32Array)).toEqual(bits(expected));
    const tape = recordTape(() => [run(x, 5, 0.25, 'g')]);
    const nodes = (tape as unknown as { nodes: { kernelName: string; saved?: tf.Tensor[] }[] }).nodes;
    expect(nodes.map((n) => [n.kernelName, n.saved?.length ?? 0])).toEqual([[DROPOUT_KERNEL, 0]]);
    tape.dispose();
    tf.dispose([x, w, grad]);
  });

  it('is removed again by unregisterWasmDropout', () => {
    unregisterWasmDropout();
    expect(tf.getKernel(DROPOUT_KERNEL, 'wasm')).toBeUndefined();
    registerWasmDropout();
    expect(tf.getKernel(DROPOUT_KERNEL, 'wasm')).toBeDefined();
  });
});
