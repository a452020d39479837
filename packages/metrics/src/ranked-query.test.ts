import { describe, expect, it } from 'vitest';
import { rankQuery, weightedTopKSum } from './ranked-query.js';

// Documents 2..6 of a larger columnar array; scores 0.5 tie three times.
const scores = [9, 9, 0.5, 0.7, 0.5, 0.5, Number.NEGATIVE_INFINITY];
const labels = [0, 0, 2, 1, 0, 1, 3];

describe('rankQuery', () => {
  it('ranks by descending score, lower label first among ties (pessimistic)', () => {
    const { order, tieGroupEnd } = rankQuery(scores, labels, 2, 7, 'pessimistic');
    expect(Array.from(order)).toEqual([3, 4, 5, 2, 6]);
    expect(tieGroupEnd).toBeUndefined();
  });

  it('keeps input order among ties with input-order, and records tie groups with average', () => {
    expect(Array.from(rankQuery(scores, labels, 2, 7, 'input-order').order)).toEqual([3, 2, 4, 5, 6]);
    const averaged = rankQuery(scores, labels, 2, 7, 'average');
    expect(Array.from(averaged.order)).toEqual([3, 2, 4, 5, 6]);
    expect(Array.from(averaged.tieGroupEnd ?? [])).toEqual([1, 4, 4, 4, 5]);
  });

  it('treats equal infinities as ties', () => {
    const { order } = rankQuery([Infinity, 1, Infinity], [1, 0, 0], 0, 3, 'pessimistic');
    expect(Array.from(order)).toEqual([2, 0, 1]);
  });
});

describe('weightedTopKSum', () => {
  it('sums weight(position) * value(label) over the top k', () => {
    const query = rankQuery(scores, labels, 2, 7, 'input-order');
    // Ranked labels [1, 2, 0, 1, 3]; weights 1, 2, 3 for the top 3.
    expect(
      weightedTopKSum(
        query,
        3,
        (y) => y,
        (p) => p + 1,
      ),
    ).toBe(1 * 1 + 2 * 2 + 3 * 0);
  });

  it('replaces each label by its tie group mean under average ties', () => {
    const query = rankQuery(scores, labels, 2, 7, 'average');
    // Group [2, 0, 1] has mean 1; top 3 weights 1, 2, 3 -> 1*1 + (2 + 3) * 1; cut at 2 -> 1 + 2 * 1.
    expect(
      weightedTopKSum(
        query,
        3,
        (y) => y,
        (p) => p + 1,
      ),
    ).toBe(6);
    expect(
      weightedTopKSum(
        query,
        2,
        (y) => y,
        (p) => p + 1,
      ),
    ).toBe(3);
    expect(
      weightedTopKSum(
        query,
        10,
        (y) => y,
        () => 1,
      ),
    ).toBe(7);
  });
});
