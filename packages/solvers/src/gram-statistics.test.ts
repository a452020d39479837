import { describe, expect, it } from 'vitest';
import { cosineFromGram, gramNorms } from './gram-statistics.js';

describe('gramNorms / cosineFromGram', () => {
  it('reads norms off the diagonal', () => {
    expect(Array.from(gramNorms([9, 0, 0, 16]))).toEqual([3, 4]);
  });

  it('computes cosines, gives a zero gradient cosine 0 and clamps round-off to [-1, 1]', () => {
    // g1 = (1, 0), g2 = (1, 1): cos = 1 / sqrt(2).
    const cosines = cosineFromGram([1, 1, 1, 2]);
    expect(cosines[1]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(Array.from(cosineFromGram([4, 0, 0, 0]))).toEqual([1, 0, 0, 0]);
    // An off-diagonal a hair above sqrt(M_ii M_jj) (float32 Gram of identical rows) stays at 1.
    expect(Array.from(cosineFromGram([1, 1.00000001, 1.00000001, 1]))).toEqual([1, 1, 1, 1]);
  });

  it('rejects a malformed Gram matrix', () => {
    expect(() => gramNorms([1, 2, 3])).toThrow(/K\*K/);
    expect(() => cosineFromGram([1, 0, 0, -4])).toThrow(/negative diagonal/);
  });
});
