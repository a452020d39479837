import { DROPOUT_KERNEL, dropoutStream, fillDropoutMask, Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNativeAddon, type NativeGemm, nativeGemm } from './native-gemm.js';
import { recordTape } from './retained-tape.js';
import { selectBackend } from './select-backend.js';
import { registerWasmDropout } from './wasm-dropout.js';

// In CI the addon must load (the install builds it): a missing addon fails these tests instead of skipping.
const addon = loadNativeAddon();
const required = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const runNative = addon.gemm !== undefined || required;
const native = (): NativeGemm => {
  if (addon.gemm === undefined) throw new Error(`native addon required under CI: ${addon.note}`);
  return addon.gemm;
};

const rng = new Rng('wasm-dropout-bits');
const values = (size: number) => Float32Array.from({ length: size }, () => rng.normal());
const bitsOf = (x: Float32Array) => new Uint32Array(x.buffer, x.byteOffset, x.length);

/** The keep bits of core's fillDropoutMask: bit i % 32 of word i / 32 set where element i is kept. */
function referenceBits(site: string, seed: number, rate: number, size: number): Uint32Array {
  const mask = new Float32Array(size);
  fillDropoutMask(dropoutStream(seed, site, rate), mask);
  const words = new Uint32Array(Math.ceil(size / 32));
  mask.forEach((m, i) => {
    if (m !== 0) words[i >>> 5] = ((words[i >>> 5] as number) | (1 << (i & 31))) >>> 0;
  });
  return words;
}

describe.runIf(runNative)('native dropout keep bits (addon)', () => {
  it('writes the mask as keep bits, and dropoutBits reproduces the drawn product bit for bit', () => {
    const threads = native().info().threads;
    try {
      // Serial sizes, and sizes past the thread and lane thresholds (600,001: segments end mid-word).
      for (const [size, n] of [
        [1, 1],
        [33, 1],
        [4097, 1],
        [140_001, 1],
        [600_001, 1],
        [600_001, 2],
        [1_000_003, 3],
      ] as const) {
        native().setThreads(n);
        const stream = dropoutStream(7, `b${size}`, 0.3);
        const heap = new Float32Array(3 * size);
        heap.set(values(size));
        const kept = new Uint32Array(Math.ceil(size / 32));
        const state = Uint32Array.from(stream.state);
        native().dropout(heap.buffer, 0, size * 4, size, state, stream.threshold, stream.keepScale, kept);
        expect(kept, `size ${size}, ${n} threads`).toEqual(referenceBits(`b${size}`, 7, 0.3, size));
        native().dropoutBits(heap.buffer, 0, 2 * size * 4, size, kept, stream.keepScale);
        const drawn = bitsOf(heap.subarray(size, 2 * size));
        const fromBits = bitsOf(heap.subarray(2 * size));
        expect(fromBits.filter((b, i) => b !== drawn[i]).length, `size ${size}, ${n} threads`).toBe(0);
      }
    } finally {
      native().setThreads(threads);
    }
  });

  it('refuses keep bits shorter than the tensor', () => {
    const heap = new Float32Array(64).buffer;
    const state = Uint32Array.of(1, 2, 3, 4);
    expect(() => native().dropout(heap, 0, 0, 64, state, 10, 1, new Uint32Array(1))).toThrow(
      /\(size \+ 31\) \/ 32 words/,
    );
    expect(() => native().dropoutBits(heap, 0, 0, 64, new Uint32Array(1), 1)).toThrow(
      /\(size \+ 31\) \/ 32 words/,
    );
  });
});

describe.runIf(runNative)('DROPOUT_KERNEL keeps its mask for the backward passes of a tape', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'wasm' });
    registerWasmDropout();
  });

  /** Counts the addon's draws and kept-bit products while `f` runs. */
  function counting<T>(f: () => T): { result: T; draws: number; fromBits: number } {
    const gemm = native();
    const { dropout, dropoutBits } = gemm;
    let draws = 0;
    let fromBits = 0;
    gemm.dropout = (...args) => {
      draws++;
      return dropout.apply(gemm, args);
    };
    gemm.dropoutBits = (...args) => {
      fromBits++;
      return dropoutBits.apply(gemm, args);
    };
    try {
      return { result: f(), draws, fromBits };
    } finally {
      gemm.dropout = dropout;
      gemm.dropoutBits = dropoutBits;
    }
  }

  it('draws once and gives K backward passes the same gradients as redrawing the mask', () => {
    const size = 300_000; // large enough for the threaded draw
    const x = tf.tensor2d(values(size), [600, 500]);
    const weights = [0, 1, 2].map(() => tf.tensor2d(values(size), [600, 500]));
    const stream = () => dropoutStream(3, 'tape', 0.3) as never;
    const {
      result: grads,
      draws,
      fromBits,
    } = counting(() => {
      const tape = recordTape(() => {
        const y = tf.engine().runKernel(DROPOUT_KERNEL, { x }, stream()) as tf.Tensor;
        return weights.map((w) => tf.sum(tf.mul(tf.square(y), w)));
      });
      try {
        return tape.outputs.map((loss) => tape.backward([{ y: loss }], [x])[0] as tf.Tensor);
      } finally {
        tape.dispose();
      }
    });
    // With the addon switched off (MTL2R_NATIVE_GEMM=0) the kernel fills masks in JS: same gradients.
    expect([draws, fromBits]).toEqual(nativeGemm() === undefined ? [0, 0] : [1, 3]);
    // The same gradients with the mask drawn afresh in each backward pass (tf.grad, its own attrs each time).
    weights.forEach((w, k) => {
      const redrawn = tf.grad((t: tf.Tensor) => {
        const y = tf.engine().runKernel(DROPOUT_KERNEL, { x: t }, stream()) as tf.Tensor;
        return tf.sum(tf.mul(tf.square(y), w));
      })(x);
      const ours = bitsOf(grads[k]?.dataSync() as Float32Array);
      const theirs = bitsOf(redrawn.dataSync() as Float32Array);
      expect(ours.filter((b, i) => b !== theirs[i]).length, `task ${k}`).toBe(0);
      redrawn.dispose();
    });
    tf.dispose([x, ...weights, ...grads]);
  });

  it('keeps no bits outside a tape (inference draws only)', () => {
    const x = tf.tensor1d(values(1000));
    const {
      result: y,
      draws,
      fromBits,
    } = counting(
      () =>
        tf.engine().runKernel(DROPOUT_KERNEL, { x }, dropoutStream(4, 'plain', 0.5) as never) as tf.Tensor,
    );
    expect([draws, fromBits]).toEqual(nativeGemm() === undefined ? [0, 0] : [1, 0]);
    tf.dispose([x, y]);
  });
});
