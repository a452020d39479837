import { ConfigError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { precision } from './precision.js';

const scores = [5, 4, 3, 2, 1];
const labels = [1, 0, 2, 0, 1];

describe('precision', () => {
  it('is the fraction of relevant documents in the top k', () => {
    expect(precision(scores, labels, { k: 1 })).toBe(1);
    expect(precision(scores, labels, { k: 2 })).toBe(1 / 2);
    expect(precision(scores, labels, { k: 3 })).toBeCloseTo(2 / 3, 15);
    expect(precision(scores, labels, { k: 3, relevanceThreshold: 1 })).toBeCloseTo(1 / 3, 15);
  });

  it('divides by k even when the list is shorter', () => {
    expect(precision(scores, labels, { k: 10 })).toBe(3 / 10);
  });

  it('gives the expected precision over tied orderings with ties average', () => {
    // Two tied documents, one relevant, compete for the single top slot.
    expect(precision([1, 1, 0], [1, 0, 1], { k: 1, ties: 'average' })).toBe(1 / 2);
    expect(precision([1, 1, 0], [1, 0, 1], { k: 1 })).toBe(0);
    expect(precision([1, 1, 0], [1, 0, 1], { k: 1, ties: 'input-order' })).toBe(1);
    expect(precision([1, 1, 0], [1, 0, 1], { k: 2, ties: 'average' })).toBe(1 / 2);
  });

  it('scores a query without relevant documents as noRelevant says', () => {
    expect(precision([1, 2], [0, 0], { k: 1 })).toBe(1);
    expect(precision([1, 2], [0, 0], { k: 1, noRelevant: 'zero' })).toBe(0);
  });

  it('needs a positive integer k', () => {
    expect(() => precision(scores, labels, {} as { k: number })).toThrow(ConfigError);
    expect(() => precision(scores, labels, {} as { k: number })).toThrow(
      /k: missing; expected a positive integer/,
    );
    expect(() => precision(scores, labels, { k: -2 })).toThrow(/k: got -2; expected a positive integer/);
  });
});
