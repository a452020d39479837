import { ConfigError } from '@mtl2r/core';
import type { NoRelevantRule, TieRule } from './metric-spec.js';
import { type RankedQuery, rankQuery, weightedTopKSum } from './ranked-query.js';
import { checkRankingInput, noRelevantValue, resolveCutoff } from './ranking-input.js';
import { hasRelevant } from './reciprocal-rank.js';

export interface PrecisionOptions {
  /** Cut-off (required): precision@k divides by k even when the list is shorter (trec_eval's P_k). */
  k: number;
  /** A document is relevant when its label is strictly greater than this; default 0. */
  relevanceThreshold?: number;
  /** Value when the query has no relevant document; default `one`. */
  noRelevant?: NoRelevantRule;
  /** Default `pessimistic`; `average` gives the expected precision over orderings of tied documents. */
  ties?: TieRule;
}

/** Fraction of the top k positions that hold a relevant document. */
export function precisionOfRankedQuery(
  query: RankedQuery,
  k: number,
  threshold: number,
  noRelevant: NoRelevantRule,
): number {
  if (!hasRelevant(query, threshold)) return noRelevantValue(noRelevant);
  const hits = weightedTopKSum(
    query,
    k,
    (label) => (label > threshold ? 1 : 0),
    () => 1,
  );
  return hits / k;
}

/** Precision@k of a single list; NaN when skipped. */
export function precision(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: PrecisionOptions,
): number {
  checkRankingInput(scores, labels, [0, scores.length], false);
  if (options.k === undefined) {
    throw new ConfigError('Precision needs a cut-off', [
      { path: 'k', message: 'missing; expected a positive integer' },
    ]);
  }
  const k = resolveCutoff(options.k, 'k');
  const query = rankQuery(scores, labels, 0, scores.length, options.ties ?? 'pessimistic');
  return precisionOfRankedQuery(query, k, options.relevanceThreshold ?? 0, options.noRelevant ?? 'one');
}
