import { describe, expect, it } from 'vitest';
import { argmax, normaliseToSimplex, oneHot, softmax } from './weight-vectors.js';

describe('softmax', () => {
  it('matches hand-computed values', () => {
    // exp(0) = 1, exp(ln 3) = 3: [1, 3] / 4
    const two = softmax([0, Math.log(3)]);
    expect(two[0]).toBeCloseTo(0.25, 15);
    expect(two[1]).toBeCloseTo(0.75, 15);
    // exp of [0, ln 2, ln 5] = [1, 2, 5], sum 8
    const three = softmax([0, Math.log(2), Math.log(5)]);
    expect(Array.from(three).map((v) => v * 8)).toEqual([1, 2, 5].map((v) => expect.closeTo(v, 13)));
    // temperature 2 halves the logits: [0, 2 ln 3] / 2 = [0, ln 3] -> [1/4, 3/4]
    const tempered = softmax([0, 2 * Math.log(3)], 2);
    expect(tempered[0]).toBeCloseTo(0.25, 15);
    expect(tempered[1]).toBeCloseTo(0.75, 15);
  });

  it('is shift invariant and does not overflow on large logits', () => {
    expect(Array.from(softmax([1000, 1000]))).toEqual([0.5, 0.5]);
    const shifted = softmax([700 + 0, 700 + Math.log(3)]);
    expect(shifted[0]).toBeCloseTo(0.25, 12);
    expect(shifted[1]).toBeCloseTo(0.75, 12);
  });

  it('gives weight 0 to a logit of -Infinity', () => {
    expect(Array.from(softmax([Number.NEGATIVE_INFINITY, 2, 2]))).toEqual([0, 0.5, 0.5]);
  });

  it('rejects empty input, NaN, +Infinity, all -Infinity and a bad temperature', () => {
    expect(() => softmax([])).toThrow(/at least one value/);
    expect(() => softmax([0, Number.NaN])).toThrow(/value\[1\] must be finite or -Infinity, got NaN/);
    expect(() => softmax([Number.POSITIVE_INFINITY])).toThrow(/value\[0\]/);
    expect(() => softmax([Number.NEGATIVE_INFINITY])).toThrow(/at least one finite value/);
    expect(() => softmax([1, 2], 0)).toThrow(/temperature must be a positive finite number, got 0/);
  });
});

describe('argmax', () => {
  it('returns the index of the largest value, the lowest index on ties', () => {
    expect(argmax([0.2, 0.9, 0.1])).toBe(1);
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(argmax([-5])).toBe(0);
    expect(argmax([-1, -1])).toBe(0);
  });

  it('rejects empty and non-finite input', () => {
    expect(() => argmax([])).toThrow(/at least one value/);
    expect(() => argmax([1, Number.NaN])).toThrow(/value\[1\] must be finite/);
  });
});

describe('oneHot', () => {
  it('puts a single 1 at the index', () => {
    expect(Array.from(oneHot(3, 2))).toEqual([0, 0, 1]);
    expect(Array.from(oneHot(1, 0))).toEqual([1]);
  });

  it('rejects an index outside [0, size)', () => {
    expect(() => oneHot(3, 3)).toThrow(/index must be an integer in \[0, 2\], got 3/);
    expect(() => oneHot(0, 0)).toThrow(/size must be an integer >= 1/);
  });
});

describe('normaliseToSimplex', () => {
  it('divides by the sum', () => {
    expect(Array.from(normaliseToSimplex([1, 3]))).toEqual([0.25, 0.75]);
    expect(Array.from(normaliseToSimplex([0, 2, 0]))).toEqual([0, 1, 0]);
  });

  it('rejects negative values and an all-zero vector', () => {
    expect(() => normaliseToSimplex([1, -1])).toThrow(/value\[1\] must be >= 0/);
    expect(() => normaliseToSimplex([0, 0])).toThrow(/at least one positive value/);
  });
});
