import { describe, expect, it } from 'vitest';
import { imtlProjection } from './imtl-projection.js';

describe('imtlProjection', () => {
  it("the aggregate's projection onto the first non-zero unit gradient", () => {
    // g_0 = (3, 4), g_1 = (0, 2): M = [[25, 8], [8, 4]]; w = (1, 1): g = (3, 6), g . g_0 / 5 = 33 / 5.
    expect(imtlProjection(Float64Array.of(25, 8, 8, 4), [1, 1])).toBeCloseTo(6.6, 12);
    // g_0 = 0 is skipped: g . g_1 / ||g_1|| with g_1 = (0, 2), w = (1, 0.5): g = (0, 1) -> 1.
    expect(imtlProjection(Float64Array.of(0, 0, 0, 4), [1, 0.5])).toBeCloseTo(1, 12);
    expect(imtlProjection(Float64Array.of(0, 0, 0, 0), [0.5, 0.5])).toBe(0);
  });
});
