import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

/** URLs of tfjs's wasm binaries, as a bundler gives them (e.g. Vite's `?url` imports). */
export type WasmPaths = Partial<
  Record<
    'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm',
    string
  >
>;

/**
 * Picks the page's tfjs backend: wasm when its binaries load, else the pure-JS CPU backend. Returns the
 * backend in use and, when wasm failed, why (for the page to show).
 */
export async function useBrowserBackend(
  wasmPaths?: WasmPaths | string,
): Promise<{ backend: string; note?: string }> {
  if (wasmPaths !== undefined) setWasmPaths(wasmPaths as Parameters<typeof setWasmPaths>[0]);
  try {
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return { backend: 'wasm' };
    }
  } catch (error) {
    await tf.setBackend('cpu');
    await tf.ready();
    return { backend: 'cpu', note: `wasm backend unavailable (${(error as Error).message}); using cpu` };
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu', note: 'wasm backend unavailable; using cpu' };
}
