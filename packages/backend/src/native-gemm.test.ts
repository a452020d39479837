import { describe, expect, it } from 'vitest';
import { nativeGemm, nativeGemmNote, useNativeGemm } from './native-gemm.js';

describe('native sgemm (optional addon)', () => {
  it('says why it is or is not in use, and can be turned off', () => {
    expect(nativeGemmNote()).toMatch(/OpenBLAS|not built|off/);
    useNativeGemm(false);
    expect(nativeGemm()).toBeUndefined();
    expect(nativeGemmNote()).toMatch(/^off/);
    useNativeGemm(true);
  });

  const gemm = nativeGemm();
  it.skipIf(gemm === undefined)('multiplies on a heap at byte offsets, with transposes and batches', () => {
    // heap: A0 [2,3] at 0, A1 at 24, B [3,2] at 48 (shared), C0 at 72, C1 at 88 (floats 18..21, 22..25)
    const heap = new Float32Array(26);
    heap.set([1, 2, 3, 4, 5, 6], 0);
    heap.set([0, 1, 0, 1, 0, 1], 6);
    heap.set([1, 0, 0, 1, 1, 1], 12);
    gemm!.gemm(
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
    gemm!.gemm(heap.buffer, true, false, 2, 2, 3, Uint32Array.of(0), Uint32Array.of(48), Uint32Array.of(72));
    expect(Array.from(heap.subarray(18, 22))).toEqual([6, 8, 8, 10]);
  });

  it.skipIf(gemm === undefined)('refuses operands outside the heap instead of writing past it', () => {
    const heap = new Float32Array(8);
    expect(() =>
      gemm!.gemm(
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
      gemm!.gemm(heap.buffer, false, false, 2, 2, 2, Uint32Array.of(2), Uint32Array.of(0), Uint32Array.of(0)),
    ).toThrow(/misaligned/);
  });
});
