import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadNativeAddon,
  type NativeKernelChoice,
  nativeGemm,
  nativeGemmNote,
  useNativeGemm,
} from './native-gemm.js';
import { selectBackend } from './select-backend.js';

// In CI the addon must load (the install builds it): a missing addon fails these tests instead of skipping.
const addon = loadNativeAddon();
const required = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const runNative = addon.gemm !== undefined || required;
const native = () => {
  if (addon.gemm === undefined) throw new Error(`native addon required under CI: ${addon.note}`);
  return addon.gemm;
};

describe('native addon loading', () => {
  it('says which kernel runs, or why none does and how to enable it', () => {
    if (process.env.MTL2R_NATIVE_GEMM === '0') {
      expect(nativeGemm()).toBeUndefined();
      expect(nativeGemmNote()).toBe('off (MTL2R_NATIVE_GEMM=0)');
      return;
    }
    if (addon.gemm === undefined) {
      expect(required, addon.note).toBe(false);
      expect(nativeGemmNote()).toMatch(/wasm fallback: .*pnpm --filter @mtl2r\/backend build:native/);
      return;
    }
    expect(nativeGemmNote()).toMatch(
      /^native: (OpenBLAS sgemm \(static\)|mtl2r blocked sgemm \((avx512|avx2|generic)\)), /,
    );
    expect(nativeGemmNote()).toMatch(/; also Add\/Sub\/Multiply\/Sum, dropout, softmax gradient$/);
    useNativeGemm(false);
    expect(nativeGemm()).toBeUndefined();
    expect(nativeGemmNote()).toMatch(/^off/);
    useNativeGemm(true);
  });
});

describe.runIf(runNative)('native sgemm', () => {
  it('multiplies on a heap at byte offsets, with transposes and batches', () => {
    // heap: A0 [2,3] at 0, A1 at 24, B [3,2] at 48 (shared), C0 at 72, C1 at 88 (floats 18..21, 22..25)
    const heap = new Float32Array(26);
    heap.set([1, 2, 3, 4, 5, 6], 0);
    heap.set([0, 1, 0, 1, 0, 1], 6);
    heap.set([1, 0, 0, 1, 1, 1], 12);
    const gemm = native();
    gemm.gemm(
      heap.buffer,
      false,
      false,
      2,
      2,
      3,
      Uint32Array.of(0, 24),
      Uint32Array.of(48, 48),
      Uint32Array.of(72, 88),
    );
    expect(Array.from(heap.subarray(18, 22))).toEqual([4, 5, 10, 11]);
    expect(Array.from(heap.subarray(22, 26))).toEqual([0, 1, 2, 1]);
    // A0 read as stored [3,2] and transposed: [[1,3,5],[2,4,6]] x B
    gemm.gemm(heap.buffer, true, false, 2, 2, 3, Uint32Array.of(0), Uint32Array.of(48), Uint32Array.of(72));
    expect(Array.from(heap.subarray(18, 22))).toEqual([6, 8, 8, 10]);
  });

  it('refuses operands outside the heap instead of writing past it', () => {
    const heap = new Float32Array(8);
    const gemm = native();
    expect(() =>
      gemm.gemm(
        heap.buffer,
        false,
        false,
        2,
        2,
        2,
        Uint32Array.of(0),
        Uint32Array.of(16),
        Uint32Array.of(24),
      ),
    ).toThrow(/outside the heap/);
    expect(() =>
      gemm.gemm(heap.buffer, false, false, 2, 2, 2, Uint32Array.of(2), Uint32Array.of(0), Uint32Array.of(0)),
    ).toThrow(/misaligned/);
  });

  it('refuses kernels it does not have', () => {
    const gemm = native();
    expect(gemm.setKernel('fast' as NativeKernelChoice)).toBe(false);
    expect(gemm.setKernel('openblas')).toBe(gemm.info().openblas);
  });
});

describe.runIf(runNative)('native sgemm, A read in place', () => {
  it('gives bit for bit the packed path: [m x k] x [k x 32] equals the first 32 columns of [k x 64]', () => {
    const gemm = native();
    const initial = gemm.info();
    const [m, k] = [243, 300];
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37));
    const wide = Float32Array.from({ length: k * 64 }, (_, i) => Math.cos(i * 0.11));
    const narrow = Float32Array.from(
      { length: k * 32 },
      (_, i) => wide[Math.floor(i / 32) * 64 + (i % 32)] ?? 0,
    );
    try {
      for (const isa of ['avx512', 'avx2', 'generic']) {
        if (!gemm.setKernel(`portable-${isa}` as NativeKernelChoice)) continue;
        for (const ta of [false, true]) {
          // As stored: [m, k], or [k, m] read transposed.
          const stored = ta
            ? Float32Array.from({ length: m * k }, (_, i) => a[(i % m) * k + Math.floor(i / m)] ?? 0)
            : a;
          const product = (b: Float32Array, n: number) => {
            const heap = new Float32Array(stored.length + b.length + m * n);
            heap.set(stored);
            heap.set(b, stored.length);
            const cAt = (stored.length + b.length) * 4;
            gemm.gemm(
              heap.buffer,
              ta,
              false,
              m,
              n,
              k,
              Uint32Array.of(0),
              Uint32Array.of(stored.length * 4),
              Uint32Array.of(cAt),
            );
            return heap.subarray(cAt / 4);
          };
          const direct = new Uint32Array(Float32Array.from(product(narrow, 32)).buffer);
          const packedWide = product(wide, 64);
          const packed = new Uint32Array(
            Float32Array.from(
              { length: m * 32 },
              (_, i) => packedWide[Math.floor(i / 32) * 64 + (i % 32)] ?? 0,
            ).buffer,
          );
          expect(direct.filter((v, i) => v !== packed[i]).length, `${isa} ta=${ta}`).toBe(0);
        }
      }
    } finally {
      gemm.setKernel(`portable-${initial.isa}` as NativeKernelChoice);
      gemm.setKernel(initial.kernel);
    }
  });
});

/**
 * Every kernel against tfjs-cpu's matMul: shapes that cross the packing blocks (k > 256, n > 1024, rows not a
 * multiple of the register tile), one-strip products (A unpacked), transposes, batches with a shared
 * operand, one and two threads.
 */
describe.runIf(runNative)('native sgemm matches tfjs-cpu', () => {
  const shapes: [batch: number, m: number, n: number, k: number][] = [
    [1, 1, 1, 1],
    [1, 7, 5, 3],
    [1, 33, 47, 300],
    [1, 130, 70, 513],
    [1, 9, 1100, 17],
    [3, 25, 40, 31],
    [1, 5, 5, 3000], // a skinny Gram product
    // One B strip (n <= the tile width): A read in place, not packed, rows not a multiple of the tile.
    [4, 243, 32, 240], // the attention's [L x L] x [L x d_head] products
    [1, 50, 20, 600], // k across three packing slices, a partial column tile
    [2, 30, 16, 260],
  ];
  const kernels: NativeKernelChoice[] = ['openblas', 'portable-avx512', 'portable-avx2', 'portable-generic'];

  const initial = addon.gemm?.info();
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });
  afterAll(() => {
    if (addon.gemm === undefined || initial === undefined) return;
    addon.gemm.setKernel(`portable-${initial.isa}` as NativeKernelChoice);
    addon.gemm.setKernel(initial.kernel);
    addon.gemm.setThreads(initial.threads);
  });

  for (const kernel of kernels) {
    it(`${kernel} (or reports that this build or CPU lacks it)`, () => {
      const gemm = native();
      if (!gemm.setKernel(kernel)) {
        // Only what the build or CPU lacks may be refused.
        expect(kernel === 'openblas' ? !gemm.info().openblas : kernel !== 'portable-generic').toBe(true);
        return;
      }
      let seed = 7;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 1073741824 - 1;
      };
      for (const threads of [1, 2]) {
        gemm.setThreads(threads);
        for (const [batch, m, n, k] of shapes) {
          for (const [ta, tb] of [
            [false, false],
            [true, false],
            [false, true],
            [true, true],
          ] as const) {
            const a = Float32Array.from({ length: batch * m * k }, random);
            const b = Float32Array.from({ length: k * n }, random); // shared by the batch
            const heap = new Float32Array(a.length + b.length + batch * m * n);
            heap.set(a, 0);
            heap.set(b, a.length);
            const cAt = a.length + b.length;
            gemm.gemm(
              heap.buffer,
              ta,
              tb,
              m,
              n,
              k,
              Uint32Array.from({ length: batch }, (_, i) => i * m * k * 4),
              Uint32Array.from({ length: batch }, () => a.length * 4),
              Uint32Array.from({ length: batch }, (_, i) => (cAt + i * m * n) * 4),
            );
            const expected = tf.tidy(() =>
              tf
                .matMul(
                  tf.tensor3d(a, ta ? [batch, k, m] : [batch, m, k]),
                  tf.tensor3d(b, tb ? [1, n, k] : [1, k, n]),
                  ta,
                  tb,
                )
                .dataSync(),
            );
            const got = heap.subarray(cAt);
            let worst = 0;
            for (let i = 0; i < got.length; i++)
              worst = Math.max(worst, Math.abs((got[i] ?? 0) - (expected[i] ?? 0)));
            // float32 sums of k products of values in [-1, 1]: error grows like sqrt(k) ulps of the sum.
            expect(worst, `${kernel} ${threads}T ${batch}x${m}x${n}x${k} ta=${ta} tb=${tb}`).toBeLessThan(
              1e-5 * Math.sqrt(k) * 8,
            );
          }
        }
      }
    });
  }
});
