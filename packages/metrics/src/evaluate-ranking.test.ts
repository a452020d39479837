import { ConfigError, UserError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { averagePrecision } from './average-precision.js';
import { evaluateRanking } from './evaluate-ranking.js';
import { expectedReciprocalRank } from './expected-reciprocal-rank.js';
import { ndcg } from './ndcg.js';
import { precision } from './precision.js';
import { reciprocalRank } from './reciprocal-rank.js';

// Three queries: [0, 3) with labels 2, 0, 1; [3, 5) with no relevant document; [5, 9) with labels 0, 1, 0, 1.
const scores = Float32Array.from([0.3, 0.9, 0.1, 0.5, 0.2, 0.8, 0.7, 0.6, 0.5]);
const labels = Float32Array.from([2, 0, 1, 0, 0, 0, 1, 0, 1]);
const offsets = Int32Array.from([0, 3, 5, 9]);
const queryScores = [scores.subarray(0, 3), scores.subarray(3, 5), scores.subarray(5, 9)];
const queryLabels = [labels.subarray(0, 3), labels.subarray(3, 5), labels.subarray(5, 9)];
const log2of3 = Math.log2(3);

describe('evaluateRanking', () => {
  it('computes per-query values and their macro mean, in the order asked', () => {
    const results = evaluateRanking(scores, labels, offsets, ['ndcg@2', 'mrr', 'map', 'p@2', 'err']);
    expect(results.map((r) => r.name)).toEqual(['ndcg@2', 'mrr', 'map', 'p@2', 'err']);
    const [ndcgAt2, mrr] = results;
    // Query 0 ranked labels [0, 2, 1]: DCG@2 = 3 / log2(3); ideal@2 = 3 + 1 / log2(3).
    expect(ndcgAt2?.perQuery[0]).toBeCloseTo(3 / log2of3 / (3 + 1 / log2of3), 14);
    expect(ndcgAt2?.perQuery[1]).toBe(1);
    // Query 2 ranked labels [0, 1, 0, 1]: DCG@2 = 1 / log2(3); ideal@2 = 1 + 1 / log2(3).
    expect(ndcgAt2?.perQuery[2]).toBeCloseTo(1 / log2of3 / (1 + 1 / log2of3), 14);
    expect(Array.from(mrr?.perQuery ?? [])).toEqual([1 / 2, 1, 1 / 2]);
    expect(mrr?.mean).toBe(2 / 3);
    expect(mrr?.counted).toBe(3);
  });

  it('agrees with the single-list functions on every query', () => {
    const results = evaluateRanking(scores, labels, offsets, ['ndcg', 'mrr@1', 'map@2', 'p@3', 'err@2']);
    for (let q = 0; q < 3; q++) {
      const s = queryScores[q] as Float32Array;
      const y = queryLabels[q] as Float32Array;
      expect(results[0]?.perQuery[q]).toBe(ndcg(s, y));
      expect(results[1]?.perQuery[q]).toBe(reciprocalRank(s, y, { k: 1 }));
      expect(results[2]?.perQuery[q]).toBe(averagePrecision(s, y, { k: 2 }));
      expect(results[3]?.perQuery[q]).toBe(precision(s, y, { k: 3 }));
      // maxGrade defaults to the largest label of the whole set (2), not of the query.
      expect(results[4]?.perQuery[q]).toBe(expectedReciprocalRank(s, y, { k: 2, maxGrade: 2 }));
    }
    // Query 2's largest label is 1, so its own default scale would differ.
    expect(results[4]?.perQuery[2]).not.toBe(
      expectedReciprocalRank(queryScores[2] as Float32Array, queryLabels[2] as Float32Array, { k: 2 }),
    );
  });

  it('leaves skipped queries out of the mean and marks them NaN', () => {
    const [result] = evaluateRanking(scores, labels, offsets, ['mrr'], { noRelevant: 'skip' });
    expect(result?.perQuery[1]).toBeNaN();
    expect(result?.counted).toBe(2);
    expect(result?.mean).toBe(1 / 2);
    const [none] = evaluateRanking(scores.subarray(3, 5), labels.subarray(3, 5), [0, 2], ['mrr'], {
      noRelevant: 'skip',
    });
    expect(none?.counted).toBe(0);
    expect(none?.mean).toBeNaN();
  });

  it('lets a metric spec override the call options', () => {
    const [zero, one] = evaluateRanking(
      scores,
      labels,
      offsets,
      [{ metric: 'ndcg', noRelevant: 'zero' }, 'ndcg'],
      {
        noRelevant: 'one',
      },
    );
    expect(zero?.perQuery[1]).toBe(0);
    expect(one?.perQuery[1]).toBe(1);
    expect(zero?.spec).toEqual({
      metric: 'ndcg',
      k: undefined,
      gain: 'exponential',
      noRelevant: 'zero',
      relevanceThreshold: 0,
      maxGrade: 2,
    });
    const [strict] = evaluateRanking(scores, labels, offsets, [{ metric: 'mrr', relevanceThreshold: 1 }]);
    expect(strict?.perQuery[0]).toBe(1 / 2); // only the label-2 document counts: rank 2
    expect(strict?.perQuery[2]).toBe(1); // no label above 1: noRelevant 'one'
  });

  it('handles empty queries and an empty set', () => {
    const [result] = evaluateRanking(Float32Array.from([1]), Float32Array.from([1]), [0, 0, 1], ['ndcg']);
    expect(Array.from(result?.perQuery ?? [])).toEqual([1, 1]);
    const [empty] = evaluateRanking(new Float32Array(0), new Float32Array(0), [0], ['ndcg']);
    expect(empty?.perQuery.length).toBe(0);
    expect(empty?.mean).toBeNaN();
  });

  it('rejects bad metric names with their index and the valid forms', () => {
    expect(() => evaluateRanking(scores, labels, offsets, ['ndcg@5', 'recall@5'])).toThrow(ConfigError);
    expect(() => evaluateRanking(scores, labels, offsets, ['ndcg@5', 'recall@5'])).toThrow(
      /metrics\[1\]: got "recall@5"; expected one of ndcg, ndcg@k/,
    );
  });

  it('rejects the average tie rule where it is not defined, and bad option values', () => {
    expect(() => evaluateRanking(scores, labels, offsets, ['ndcg', 'mrr'], { ties: 'average' })).toThrow(
      /metrics\[1\]: ties: 'average' is only defined for ndcg and p@k/,
    );
    expect(() => evaluateRanking(scores, labels, offsets, ['ndcg'], { gain: 'log2' as 'linear' })).toThrow(
      /options\.gain: got "log2"; expected "exponential" or "linear"/,
    );
    expect(() => evaluateRanking(scores, labels, offsets, ['ndcg'], { ties: 'random' as 'average' })).toThrow(
      /ties: got "random"; expected one of pessimistic, input-order, average/,
    );
  });

  it('rejects inconsistent offsets and bad values, naming the query and document', () => {
    expect(() => evaluateRanking(scores, labels, [0, 3, 5], ['ndcg'])).toThrow(
      /ends at 5 but there are 9 documents/,
    );
    expect(() => evaluateRanking(scores, labels, [1, 3, 9], ['ndcg'])).toThrow(
      /must start with 0.*queryOffsets\[0\] = 1/,
    );
    expect(() => evaluateRanking(scores, labels, [0, 5, 3, 9], ['ndcg'])).toThrow(
      /queryOffsets\[2\] = 3 is below queryOffsets\[1\] = 5/,
    );
    expect(() => evaluateRanking(scores, labels.subarray(1), offsets, ['ndcg'])).toThrow(UserError);
    const withNaN = scores.slice();
    withNaN[6] = Number.NaN;
    expect(() => evaluateRanking(withNaN, labels, offsets, ['ndcg'])).toThrow(
      /scores\[6\] \(query 2, document 1\) is NaN/,
    );
    const negative = labels.slice();
    negative[4] = -1;
    expect(() => evaluateRanking(scores, negative, offsets, ['ndcg'])).toThrow(
      /labels\[4\] \(query 1, document 1\) is -1/,
    );
    // Binary metrics accept negative labels: nothing needs a gain.
    expect(() => evaluateRanking(scores, negative, offsets, ['mrr', 'map'])).not.toThrow();
  });
});
