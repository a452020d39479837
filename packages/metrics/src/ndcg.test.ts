import { UserError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { ndcg } from './ndcg.js';

const log2of3 = Math.log2(3);

describe('ndcg', () => {
  it('uses gain 2^y - 1 and discount 1 / log2(rank + 1) by default', () => {
    // Ranked labels [0, 2, 1]: DCG = 0 + 3 / log2(3) + 1 / log2(4); ideal [2, 1, 0]: 3 + 1 / log2(3).
    const expected = (3 / log2of3 + 1 / 2) / (3 + 1 / log2of3);
    expect(ndcg([3, 2, 1], [0, 2, 1])).toBeCloseTo(expected, 14);
    expect(ndcg([3, 2, 1], [0, 2, 1], { k: 2 })).toBeCloseTo(3 / log2of3 / (3 + 1 / log2of3), 14);
    expect(ndcg([3, 2, 1], [0, 2, 1], { k: 1 })).toBe(0);
  });

  it('uses the label itself with linear gain', () => {
    const expected = (2 / log2of3 + 1 / 2) / (2 + 1 / log2of3);
    expect(ndcg([3, 2, 1], [0, 2, 1], { gain: 'linear' })).toBeCloseTo(expected, 14);
  });

  it('takes the ideal DCG over all documents of the query, not only the top k', () => {
    // Top 2 by score hold labels [1, 0]: DCG@2 = 1. Ideal top 2 over all four: labels [2, 1].
    expect(ndcg([3, 2, 1, 0], [1, 0, 0, 2], { k: 2 })).toBeCloseTo(1 / (3 + 1 / log2of3), 14);
  });

  it('scores a perfect ranking 1 and treats k beyond the list as the whole list', () => {
    expect(ndcg([0.9, 0.5, 0.1], [4, 2, 0])).toBe(1);
    expect(ndcg([3, 2, 1], [0, 2, 1], { k: 50 })).toBe(ndcg([3, 2, 1], [0, 2, 1]));
  });

  it('breaks score ties pessimistically by default, independent of input order', () => {
    const worst = 1 / log2of3; // the label-0 document first: 3 / log2(3) over the ideal 3
    expect(ndcg([1, 1], [2, 0])).toBeCloseTo(worst, 14);
    expect(ndcg([1, 1], [0, 2])).toBeCloseTo(worst, 14);
  });

  it('breaks ties by input index with input-order, and averages the tied gains with average', () => {
    expect(ndcg([1, 1], [2, 0], { ties: 'input-order' })).toBe(1);
    expect(ndcg([1, 1], [0, 2], { ties: 'input-order' })).toBeCloseTo(1 / log2of3, 14);
    // Mean gain 1.5 at both positions: 1.5 (1 + 1 / log2(3)) / 3.
    expect(ndcg([1, 1], [2, 0], { ties: 'average' })).toBeCloseTo((1.5 * (1 + 1 / log2of3)) / 3, 14);
  });

  it('averages a tie group that straddles the cut-off over all of its members', () => {
    // Scores [2, 1, 1]: position 1 is shared by a label-2 and a label-0 document, mean gain 1.5.
    const dcg = 1 + 1.5 / log2of3;
    const ideal = 3 + 1 / log2of3;
    expect(ndcg([2, 1, 1], [1, 2, 0], { k: 2, ties: 'average' })).toBeCloseTo(dcg / ideal, 14);
  });

  it('scores a query without gain as noRelevant says', () => {
    expect(ndcg([1, 2], [0, 0])).toBe(1);
    expect(ndcg([1, 2], [0, 0], { noRelevant: 'zero' })).toBe(0);
    expect(ndcg([1, 2], [0, 0], { noRelevant: 'skip' })).toBeNaN();
  });

  it('rejects NaN scores, negative labels, mismatched lengths and bad cut-offs', () => {
    expect(() => ndcg([1, Number.NaN], [1, 0])).toThrow(/scores\[1\] \(query 0, document 1\) is NaN/);
    expect(() => ndcg([1, 2], [1, -1])).toThrow(/labels\[1\].*is -1; NDCG and ERR need labels >= 0/);
    expect(() => ndcg([1, 2], [1])).toThrow(/differ in length \(2 vs 1\)/);
    expect(() => ndcg([1, 2], [1, 0], { k: 0 })).toThrow(/k: got 0; expected a positive integer/);
    expect(() => ndcg([1, 2], [1, 0], { k: 1.5 })).toThrow(UserError);
    expect(() => ndcg([1, 2], [1500, 0])).toThrow(
      /label of 1500 is too large for the gain 2\^y - 1; use gain 'linear'/,
    );
    expect(ndcg([1, 2], [1500, 0], { gain: 'linear' })).toBeCloseTo(1 / log2of3, 14);
  });
});
