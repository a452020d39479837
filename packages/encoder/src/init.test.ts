import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { linearBiasUniform, xavierUniform } from './init.js';

describe('xavierUniform', () => {
  it('draws U(-a, a) with a = sqrt(6 / (fanIn + fanOut)): bounds, mean 0, variance a^2 / 3', () => {
    const values = xavierUniform(new Rng(1), 200, 100);
    const bound = Math.sqrt(6 / 300);
    expect(values).toHaveLength(20_000);
    let sum = 0;
    let sumSquares = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      sum += v;
      sumSquares += v * v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(-bound);
    expect(max).toBeLessThanOrEqual(bound);
    expect(min).toBeLessThan(-0.99 * bound);
    expect(max).toBeGreaterThan(0.99 * bound);
    expect(Math.abs(sum / values.length)).toBeLessThan(0.01 * bound);
    expect(sumSquares / values.length).toBeCloseTo((bound * bound) / 3, 4);
  });

  it('is a function of the generator state alone', () => {
    expect(xavierUniform(new Rng('a'), 3, 4)).toEqual(xavierUniform(new Rng('a'), 3, 4));
    expect(xavierUniform(new Rng('a'), 3, 4)).not.toEqual(xavierUniform(new Rng('b'), 3, 4));
  });

  it('rejects a non-positive or fractional fan', () => {
    expect(() => xavierUniform(new Rng(1), 0, 4)).toThrow('fanIn must be a positive integer, got 0');
    expect(() => xavierUniform(new Rng(1), 3, 2.5)).toThrow('fanOut must be a positive integer, got 2.5');
  });
});

describe('linearBiasUniform', () => {
  it("draws PyTorch's default bias U(-1/sqrt(fanIn), 1/sqrt(fanIn))", () => {
    const values = linearBiasUniform(new Rng(2), 16, 5000);
    const bound = 1 / 4;
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-bound);
    expect(Math.max(...values)).toBeLessThanOrEqual(bound);
    expect(Math.max(...values)).toBeGreaterThan(0.99 * bound);
    expect(Math.min(...values)).toBeLessThan(-0.99 * bound);
  });
});
