import { describe, expect, it } from 'vitest';
import { PluginError } from './errors.js';
import { decodeFloat32, encodeFloat32 } from './float-state.js';

describe('encodeFloat32 / decodeFloat32', () => {
  it('round-trips bit-exactly, including -0, subnormals, Infinity and large arrays', () => {
    const values = Float32Array.of(0, -0, 1.5, -3.25e-42, 3.4e38, Number.POSITIVE_INFINITY, 1 / 3);
    const back = decodeFloat32(encodeFloat32(values), values.length, 'test');
    expect(Array.from(back)).toEqual(Array.from(values));
    expect(Object.is(back[1], -0)).toBe(true);
    const big = Float32Array.from({ length: 100_003 }, (_, i) => Math.sin(i));
    expect(decodeFloat32(encodeFloat32(big), big.length, 'test')).toEqual(big);
    // 4 bytes -> 8 base64 characters per 1.5 values: far smaller than JSON numbers
    expect(encodeFloat32(Float32Array.of(1)).length).toBe(8);
  });

  it('names the owner and the problem for a state that is not its own', () => {
    expect(() => decodeFloat32(3, 1, '@mtl2r/strategy-x')).toThrow(PluginError);
    expect(() => decodeFloat32(3, 1, '@mtl2r/strategy-x')).toThrow(
      '@mtl2r/strategy-x: saved state holds no float data',
    );
    expect(() => decodeFloat32(encodeFloat32(Float32Array.of(1, 2)), 3, 'x')).toThrow(
      'has 2 values, expected 3',
    );
    expect(() => decodeFloat32('***', 1, 'x')).toThrow('not valid base64');
  });
});
