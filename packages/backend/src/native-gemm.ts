import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Which matrix kernel the native addon runs: OpenBLAS's sgemm (when linked) or our blocked sgemm. */
export type NativeKernel = 'openblas' | 'portable';
/** A kernel to run; `portable-<isa>` also pins the portable kernel's instruction set (tests, benches). */
export type NativeKernelChoice = NativeKernel | 'portable-avx512' | 'portable-avx2' | 'portable-generic';

/** What the loaded addon runs. */
export interface NativeGemmInfo {
  kernel: NativeKernel;
  /** Whether this build linked OpenBLAS (its static archive). */
  openblas: boolean;
  /** The portable kernel's instruction set on this CPU: avx512, avx2 or generic. */
  isa: string;
  /** Most threads one product may use (both cores for large products, one for small or skinny ones). */
  threads: number;
}

/** The native addon (src/native/addon.c), built at install by binding.gyp. */
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
  /**
   * out[i] = a[i % aSize] op b[i % bSize] (op 0 add, 1 sub, 2 mul) for i < outSize: an operand broadcast over
   * leading axes repeats. Offsets in bytes, sizes in floats; each operand size divides outSize.
   */
  binary(
    heap: ArrayBuffer,
    op: 0 | 1 | 2,
    aOffset: number,
    aSize: number,
    bOffset: number,
    bSize: number,
    outOffset: number,
    outSize: number,
  ): void;
  /** out[c] = sum over r of x[r, c], in row order with float32 accumulation (tfjs's Sum rounding). */
  sumRows(heap: ArrayBuffer, xOffset: number, rows: number, width: number, outOffset: number): void;
  /**
   * out = x * mask for `size` floats, the mask drawn from the xorshift128 `state` (4 words) as core's
   * fillDropoutMask draws it: 0 where a 16-bit draw is below `threshold`, else `keepScale`. x may be out.
   * With `bits` ((size + 31) / 32 words) the mask is also written there, bit i % 32 of word i / 32 set
   * where element i is kept, for `dropoutBits`.
   */
  dropout(
    heap: ArrayBuffer,
    xOffset: number,
    outOffset: number,
    size: number,
    state: Uint32Array,
    threshold: number,
    keepScale: number,
    bits?: Uint32Array,
  ): void;
  /** out = x * mask with the mask `dropout` wrote to `bits` (not drawn again): the same floats. */
  dropoutBits(
    heap: ArrayBuffer,
    xOffset: number,
    outOffset: number,
    size: number,
    bits: Uint32Array,
    keepScale: number,
  ): void;
  /**
   * tfjs's Softmax gradient over the last axis in one pass, bit for bit: for each row of `width` floats,
   * dx = dy * y - sum(dy * y) * y. Offsets in bytes.
   */
  softmaxGrad(
    heap: ArrayBuffer,
    dyOffset: number,
    yOffset: number,
    outOffset: number,
    rows: number,
    width: number,
  ): void;
  setThreads(threads: number): void;
  /** False when that kernel is not in this build (openblas without OpenBLAS at build time). */
  setKernel(kernel: NativeKernelChoice): boolean;
  info(): NativeGemmInfo;
}

/** The package root (src/ and dist/ are one level below it), where node-gyp-build looks for binaries. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The command that builds the addon on this machine once a compiler is there. */
export const BUILD_NATIVE_COMMAND = 'pnpm --filter @mtl2r/backend build:native';

interface InstallStatus {
  built: boolean;
  detail: string;
  missing?: string[];
}

let loaded: { gemm: NativeGemm | undefined; note: string } | undefined;
let enabled = true;

/** Turns the native GEMM on or off at run time (tests compare both paths). Returns whether it is in use. */
export function useNativeGemm(on: boolean): boolean {
  enabled = on;
  return nativeGemm() !== undefined;
}

/**
 * The native GEMM if the addon loads (a prebuild for this platform or the build made at install), else
 * undefined (the wasm kernels then use XNNPACK). `MTL2R_NATIVE_GEMM=0` turns it off;
 * `MTL2R_NATIVE_KERNEL=portable` picks our sgemm even when OpenBLAS is linked; `MTL2R_THREADS=n` caps threads.
 */
export function nativeGemm(): NativeGemm | undefined {
  if (!enabled) return undefined;
  loaded ??= load();
  return loaded.gemm;
}

/** What the addon runs, or undefined when it is not in use. */
export function nativeGemmInfo(): NativeGemmInfo | undefined {
  return nativeGemm()?.info();
}

/** Picks the kernel at run time; returns false (and changes nothing) when this build lacks it. */
export function useNativeKernel(kernel: NativeKernelChoice): boolean {
  const gemm = nativeGemm();
  return gemm?.setKernel(kernel) === true;
}

/** Why the native GEMM is or is not in use, and what it runs. */
export function nativeGemmNote(): string {
  loaded ??= load();
  if (!enabled) return 'off (useNativeGemm(false))';
  const info = loaded.gemm?.info();
  if (info === undefined) return loaded.note;
  const kernel = info.kernel === 'openblas' ? 'OpenBLAS sgemm (static)' : `mtl2r blocked sgemm (${info.isa})`;
  const threads =
    info.threads > 1 ? `${info.threads} threads for large products, 1 for small or skinny ones` : '1 thread';
  const other =
    info.openblas && info.kernel === 'portable' ? ' (OpenBLAS linked too: MTL2R_NATIVE_KERNEL=openblas)' : '';
  // The same addon carries the element-wise kernels, so doctor names them with the GEMM.
  return `native: ${kernel}, ${threads}${other}; also Add/Sub/Multiply/Sum, dropout, softmax gradient`;
}

/** Why the install did not build the addon, with the command that fixes it. */
function notBuiltNote(reason: string): string {
  let status: InstallStatus | undefined;
  try {
    status = JSON.parse(
      readFileSync(join(PACKAGE_ROOT, 'build', 'native-status.json'), 'utf8'),
    ) as InstallStatus;
  } catch {
    status = undefined;
  }
  const why = status !== undefined && !status.built ? status.detail : reason;
  const tools =
    process.platform === 'darwin'
      ? 'xcode-select --install && '
      : status?.missing !== undefined && status.missing.length > 0
        ? 'apt-get install -y g++ make python3 && '
        : '';
  return `wasm fallback: native addon not built (${why}); enable it with: ${tools}${BUILD_NATIVE_COMMAND}`;
}

function load(): { gemm: NativeGemm | undefined; note: string } {
  if (process.env.MTL2R_NATIVE_GEMM === '0') return { gemm: undefined, note: 'off (MTL2R_NATIVE_GEMM=0)' };
  return loadNativeAddon();
}

/**
 * Loads the addon whatever MTL2R_NATIVE_GEMM says (its own tests run in the wasm-only run too), applying
 * MTL2R_NATIVE_KERNEL and MTL2R_THREADS.
 */
export function loadNativeAddon(): { gemm: NativeGemm | undefined; note: string } {
  let gemm: NativeGemm;
  try {
    const require = createRequire(import.meta.url);
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    gemm = nodeGypBuild(PACKAGE_ROOT) as NativeGemm;
  } catch (error) {
    return { gemm: undefined, note: notBuiltNote((error as Error).message.split('\n')[0] ?? 'no binary') };
  }
  if (
    typeof gemm.gemm !== 'function' ||
    typeof gemm.binary !== 'function' ||
    typeof gemm.dropout !== 'function' ||
    typeof gemm.dropoutBits !== 'function' ||
    typeof gemm.softmaxGrad !== 'function' ||
    typeof gemm.info !== 'function'
  ) {
    return { gemm: undefined, note: notBuiltNote('the addon found is not this version') };
  }
  const kernel = process.env.MTL2R_NATIVE_KERNEL;
  if (kernel === 'portable' || kernel === 'openblas') gemm.setKernel(kernel);
  const threads = Number(process.env.MTL2R_THREADS);
  if (Number.isInteger(threads) && threads > 0) gemm.setThreads(threads);
  return { gemm, note: 'loaded' };
}
