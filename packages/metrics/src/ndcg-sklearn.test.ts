import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateRanking } from './evaluate-ranking.js';
import type { GainKind, TieRule } from './metric-spec.js';
import { ndcg } from './ndcg.js';

// Reference values from scikit-learn's ndcg_score, made by ../fixtures/make-ndcg-fixtures.py.
interface SklearnCase {
  name: string;
  scores: number[];
  labels: number[];
  k: number | null;
  gain: GainKind;
  expected: number;
}
interface SklearnBatch extends SklearnCase {
  queries: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/ndcg-sklearn.json', import.meta.url), 'utf8'),
) as {
  cases: SklearnCase[];
  batches: SklearnBatch[];
};

const distinct = fixture.cases.filter((c) => c.name.startsWith('distinct'));
const tied = fixture.cases.filter((c) => c.name.startsWith('ties'));

describe('ndcg against scikit-learn ndcg_score', () => {
  it('has the fixture cases it was generated with', () => {
    expect(distinct.length).toBe(30);
    expect(tied.length).toBe(30);
    expect(fixture.batches.length).toBe(4);
  });

  it('has tied cases where the tie rule matters (so the average rule is really exercised)', () => {
    const differing = tied.filter((c) => {
      const options = { k: c.k ?? undefined, gain: c.gain, noRelevant: 'zero' } as const;
      return ndcg(c.scores, c.labels, { ...options, ties: 'pessimistic' }) < c.expected - 1e-9;
    });
    expect(differing.length).toBeGreaterThan(10);
  });

  it.each(distinct.map((c) => [c.name, c] as const))(
    '%s: every tie rule matches when scores are distinct',
    (_, c) => {
      const scores = Float32Array.from(c.scores);
      for (const ties of ['pessimistic', 'input-order', 'average'] as TieRule[]) {
        const value = ndcg(scores, c.labels, { k: c.k ?? undefined, gain: c.gain, noRelevant: 'zero', ties });
        expect(value).toBeCloseTo(c.expected, 12);
      }
    },
  );

  it.each(tied.map((c) => [c.name, c] as const))(
    '%s: ties average matches; pessimistic is no higher',
    (_, c) => {
      const options = { k: c.k ?? undefined, gain: c.gain, noRelevant: 'zero' } as const;
      expect(ndcg(c.scores, c.labels, { ...options, ties: 'average' })).toBeCloseTo(c.expected, 12);
      expect(ndcg(c.scores, c.labels, { ...options, ties: 'pessimistic' })).toBeLessThanOrEqual(
        c.expected + 1e-12,
      );
    },
  );

  it.each(fixture.batches.map((b) => [b.name, b] as const))('%s: macro mean over queries matches', (_, b) => {
    const length = b.scores.length / b.queries;
    const offsets = Int32Array.from({ length: b.queries + 1 }, (_, q) => q * length);
    const metric = b.k === null ? 'ndcg' : `ndcg@${b.k}`;
    const [result] = evaluateRanking(
      Float32Array.from(b.scores),
      Float32Array.from(b.labels),
      offsets,
      [metric],
      {
        noRelevant: 'zero',
        ties: 'average',
      },
    );
    expect(result?.counted).toBe(b.queries);
    expect(result?.mean).toBeCloseTo(b.expected, 12);
  });
});
