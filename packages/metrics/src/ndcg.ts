import { UserError } from '@mtl2r/core';
import type { GainKind, NoRelevantRule, TieRule } from './metric-spec.js';
import { idealLabels, type RankedQuery, rankQuery, weightedTopKSum } from './ranked-query.js';
import { checkRankingInput, noRelevantValue, resolveCutoff } from './ranking-input.js';

export interface NdcgOptions {
  /** Cut-off; omitted: the whole list. */
  k?: number;
  /** Default `exponential` (2^y - 1). */
  gain?: GainKind;
  /** Value when the ideal DCG is 0 (no label above 0); default `one`. */
  noRelevant?: NoRelevantRule;
  /** Default `pessimistic`. */
  ties?: TieRule;
}

export function gainOf(kind: GainKind): (label: number) => number {
  return kind === 'exponential' ? (label) => 2 ** label - 1 : (label) => label;
}

/** Discount of 0-based position p: 1 / log2(p + 2), i.e. 1 / log2(rank + 1). */
export function positionDiscount(position: number): number {
  return 1 / Math.log2(position + 2);
}

/**
 * NDCG@k of one ranked query: DCG of the ranking over the ideal DCG, where the ideal sorts all the
 * query's documents by label (not just the top k retrieved) and is then cut at k.
 */
export function ndcgOfRankedQuery(
  query: RankedQuery,
  k: number,
  gain: GainKind,
  noRelevant: NoRelevantRule,
): number {
  const gainFn = gainOf(gain);
  const ideal = idealLabels(query);
  let idealDcg = 0;
  for (let p = 0; p < Math.min(k, ideal.length); p++)
    idealDcg += gainFn(ideal[p] as number) * positionDiscount(p);
  if (idealDcg === 0) return noRelevantValue(noRelevant);
  if (!Number.isFinite(idealDcg)) {
    // 2^y overflows for y > 1023: raw counts need a label transform or the linear gain.
    throw new UserError(
      `a label of ${ideal[0]} is too large for the gain 2^y - 1; use gain 'linear' or a label transform (log1p, quantile-grades)`,
    );
  }
  return weightedTopKSum(query, k, gainFn, positionDiscount) / idealDcg;
}

/** NDCG@k of a single list (gain 2^y - 1, discount 1 / log2(rank + 1)); NaN when skipped. */
export function ndcg(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: NdcgOptions = {},
): number {
  checkRankingInput(scores, labels, [0, scores.length], true);
  const query = rankQuery(scores, labels, 0, scores.length, options.ties ?? 'pessimistic');
  return ndcgOfRankedQuery(
    query,
    resolveCutoff(options.k, 'k'),
    options.gain ?? 'exponential',
    options.noRelevant ?? 'one',
  );
}
