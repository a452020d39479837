import { createRequire } from 'node:module';

/** The optional native GEMM (src/native/gemm.c, OpenBLAS sgemm on the wasm heap). */
export interface NativeGemm {
  /**
   * For every i: C_i[m, n] = op(A_i) op(B_i), operands addressed by byte offsets into `heap`, row-major,
   * A_i stored [m, k] ([k, m] when transposeA), B_i stored [k, n] ([n, k] when transposeB).
   */
  gemm(
    heap: ArrayBuffer,
    transposeA: boolean,
    transposeB: boolean,
    m: number,
    n: number,
    k: number,
    aOffsets: Uint32Array,
    bOffsets: Uint32Array,
    cOffsets: Uint32Array,
  ): void;
  setThreads(threads: number): void;
}

/** Where `pnpm --filter @mtl2r/backend build:native` writes the addon, relative to this file. */
export const NATIVE_GEMM_PATH = '../.cache/mtl2r_gemm.node';

let loaded: { gemm: NativeGemm | undefined; note: string } | undefined;
let enabled = true;

/** Turns the native GEMM on or off at run time (tests compare both paths). Returns whether it is in use. */
export function useNativeGemm(on: boolean): boolean {
  enabled = on;
  return nativeGemm() !== undefined;
}

/**
 * The native GEMM if it was built and loads, else undefined (the wasm kernels then use XNNPACK).
 * `MTL2R_NATIVE_GEMM=0` turns it off.
 */
export function nativeGemm(): NativeGemm | undefined {
  if (!enabled) return undefined;
  loaded ??= load();
  return loaded.gemm;
}

/** Why the native GEMM is or is not in use. */
export function nativeGemmNote(): string {
  loaded ??= load();
  return enabled ? loaded.note : 'off (useNativeGemm(false))';
}

function load(): { gemm: NativeGemm | undefined; note: string } {
  if (process.env.MTL2R_NATIVE_GEMM === '0') return { gemm: undefined, note: 'off (MTL2R_NATIVE_GEMM=0)' };
  try {
    const gemm = createRequire(import.meta.url)(NATIVE_GEMM_PATH) as NativeGemm;
    if (typeof gemm.gemm !== 'function') return { gemm: undefined, note: 'native addon has no gemm()' };
    return { gemm, note: 'OpenBLAS sgemm on the wasm heap' };
  } catch (error) {
    return { gemm: undefined, note: `not built (${(error as Error).message.split('\n')[0]})` };
  }
}
