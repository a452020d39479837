import { describe, expect, it } from 'vitest';
import { gramInner, gramScale, gramSize, multiplyGram, readGram, readVector } from './gram-input.js';

describe('gramSize', () => {
  it('infers K from a square length', () => {
    expect(gramSize(new Float64Array(9))).toBe(3);
    expect(gramSize([5])).toBe(1);
  });
  it('rejects lengths that are not a non-empty square', () => {
    expect(() => gramSize([1, 2, 3])).toThrow(/K\*K array, got length 3/);
    expect(() => gramSize([])).toThrow(/length 0/);
  });
});

describe('readGram', () => {
  it('symmetrises float32 round-off by averaging the two triangles', () => {
    const { gram, size } = readGram([4, 1.0000001, 1, 9]);
    expect(size).toBe(2);
    expect(gram[1]).toBe(gram[2]);
    expect(gram[1]).toBeCloseTo(1.00000005, 12);
  });
  it('rejects a real asymmetry, a negative diagonal and non-finite entries', () => {
    expect(() => readGram([1, 0.5, -0.5, 1])).toThrow(/not symmetric: \(0, 1\) = 0.5 but \(1, 0\) = -0.5/);
    expect(() => readGram([1, 0, 0, -1])).toThrow(/negative diagonal entry -1 at \(1, 1\)/);
    expect(() => readGram([1, Number.NaN, Number.NaN, 1])).toThrow(/non-finite entry NaN at \(0, 1\)/);
  });
  it('does not alias its input', () => {
    const input = new Float64Array([1, 0, 0, 1]);
    readGram(input).gram[0] = 7;
    expect(input[0]).toBe(1);
  });
});

describe('small Gram algebra', () => {
  const gram = new Float64Array([2, 1, 1, 3]);
  it('multiplies and forms x^T M y by hand', () => {
    expect(Array.from(multiplyGram(gram, 2, [1, 2]))).toEqual([4, 7]);
    expect(gramInner(gram, 2, [1, 0], [1, 2])).toBe(4);
    expect(gramScale(gram, 2)).toBe(3);
  });
  it('checks vectors', () => {
    expect(() => readVector([1], 2, 'init')).toThrow(/init must have length 2, got 1/);
    expect(() => readVector([1, Number.POSITIVE_INFINITY], 2, 'init')).toThrow(/init\[1\] must be finite/);
  });
});
