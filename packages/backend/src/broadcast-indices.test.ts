import { describe, expect, it } from 'vitest';
import { broadcastIndices } from './broadcast-indices.js';

describe('broadcastIndices', () => {
  it('is the identity when shapes match', () => {
    expect(Array.from(broadcastIndices([2, 3], [2, 3]))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('repeats size-1 and missing leading dimensions', () => {
    expect(Array.from(broadcastIndices([2, 3], [3]))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Array.from(broadcastIndices([2, 3], [2, 1]))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(broadcastIndices([2, 3], []))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(broadcastIndices([2, 2, 2], [2, 1, 2]))).toEqual([0, 1, 0, 1, 2, 3, 2, 3]);
  });

  it('handles an empty outer shape (one batch)', () => {
    expect(Array.from(broadcastIndices([], []))).toEqual([0]);
  });
});
