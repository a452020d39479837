import { describe, expect, it } from 'vitest';
import { averagePrecision } from './average-precision.js';

// Ranked relevance [1, 0, 1, 0, 1] (scores already descending).
const scores = [5, 4, 3, 2, 1];
const labels = [1, 0, 2, 0, 1];

describe('averagePrecision', () => {
  it('averages precision at the ranks of the relevant documents', () => {
    expect(averagePrecision(scores, labels)).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 3, 15);
  });

  it('divides by min(relevant count, k) with a cut-off', () => {
    expect(averagePrecision(scores, labels, { k: 3 })).toBeCloseTo((1 + 2 / 3) / 3, 15);
    expect(averagePrecision(scores, labels, { k: 2 })).toBe(1 / 2);
    expect(averagePrecision(scores, labels, { k: 1 })).toBe(1);
  });

  it('uses the relevance threshold', () => {
    // Only the label-2 document (rank 3) is relevant.
    expect(averagePrecision(scores, labels, { relevanceThreshold: 1 })).toBeCloseTo(1 / 3, 15);
  });

  it('scores a query without relevant documents as noRelevant says', () => {
    expect(averagePrecision([1, 2], [0, 0])).toBe(1);
    expect(averagePrecision([1, 2], [0, 0], { noRelevant: 'zero' })).toBe(0);
    expect(averagePrecision([1, 2], [0, 0], { noRelevant: 'skip' })).toBeNaN();
  });

  it('puts relevant documents last among tied scores by default', () => {
    expect(averagePrecision([1, 1], [1, 0])).toBe(1 / 2);
    expect(averagePrecision([1, 1], [1, 0], { ties: 'input-order' })).toBe(1);
  });
});
