import { describe, expect, it } from 'vitest';
import { reciprocalRank } from './reciprocal-rank.js';

const scores = [0.9, 0.8, 0.7, 0.6];

describe('reciprocalRank', () => {
  it('is 1 / rank of the first document with label above the threshold', () => {
    expect(reciprocalRank(scores, [0, 0, 1, 2])).toBeCloseTo(1 / 3, 15);
    expect(reciprocalRank(scores, [0, 0, 1, 2], { relevanceThreshold: 1 })).toBe(1 / 4);
    expect(reciprocalRank([0.1, 0.9], [3, 0])).toBe(1 / 2);
  });

  it('is 0 when the first relevant document is below the cut-off', () => {
    expect(reciprocalRank(scores, [0, 0, 1, 2], { k: 2 })).toBe(0);
    expect(reciprocalRank(scores, [0, 0, 1, 2], { k: 3 })).toBeCloseTo(1 / 3, 15);
  });

  it('scores a query without relevant documents as noRelevant says', () => {
    expect(reciprocalRank(scores, [0, 0, 0, 0])).toBe(1);
    expect(reciprocalRank(scores, [0, 0, 0, 1], { relevanceThreshold: 1, noRelevant: 'zero' })).toBe(0);
    expect(reciprocalRank(scores, [0, 0, 0, 0], { noRelevant: 'skip' })).toBeNaN();
  });

  it('ranks tied relevant documents last by default and by index with input-order', () => {
    expect(reciprocalRank([1, 1, 1], [1, 0, 0])).toBeCloseTo(1 / 3, 15);
    expect(reciprocalRank([1, 1, 1], [1, 0, 0], { ties: 'input-order' })).toBe(1);
  });

  it('accepts negative labels (no gain is involved) but rejects non-finite ones', () => {
    expect(reciprocalRank([2, 1], [-1, 1])).toBe(1 / 2);
    expect(() => reciprocalRank([2, 1], [Number.POSITIVE_INFINITY, 1])).toThrow(
      /labels\[0\].*Infinity; expected a finite number/,
    );
  });
});
