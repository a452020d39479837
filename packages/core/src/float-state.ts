import { PluginError } from './errors.js';

/**
 * Float32 data in a strategy's JSON state (a [K, P] gradient buffer or accumulator): little-endian bytes
 * as base64, about 1.33 bytes per byte instead of ~20 characters per number in plain JSON arrays, and
 * bit-exact, so a resumed run continues identically.
 */
export function encodeFloat32(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Inverse of `encodeFloat32`; `owner` names the plugin in the error when the state is not its own. */
export function decodeFloat32(encoded: unknown, expectedLength: number, owner: string): Float32Array {
  if (typeof encoded !== 'string') {
    throw new PluginError(`${owner}: saved state holds no float data (expected a base64 string)`);
  }
  let binary: string;
  try {
    binary = atob(encoded);
  } catch {
    throw new PluginError(`${owner}: saved float data is not valid base64`);
  }
  if (binary.length !== expectedLength * 4) {
    throw new PluginError(
      `${owner}: saved float data has ${binary.length / 4} values, expected ${expectedLength} (a different model or task count?)`,
    );
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}
