import type { BinaryMetricOptions, NoRelevantRule } from './metric-spec.js';
import { type RankedQuery, rankQuery } from './ranked-query.js';
import { checkRankingInput, noRelevantValue, resolveCutoff } from './ranking-input.js';

/** Whether any document of the ranked query has a label above the threshold. */
export function hasRelevant(query: RankedQuery, threshold: number): boolean {
  for (const index of query.order) if ((query.labels[index] as number) > threshold) return true;
  return false;
}

/** 1 / rank of the first relevant document within the top k; 0 when none is ranked there. */
export function reciprocalRankOfRankedQuery(
  query: RankedQuery,
  k: number,
  threshold: number,
  noRelevant: NoRelevantRule,
): number {
  if (!hasRelevant(query, threshold)) return noRelevantValue(noRelevant);
  const cut = Math.min(k, query.order.length);
  for (let p = 0; p < cut; p++) {
    if ((query.labels[query.order[p] as number] as number) > threshold) return 1 / (p + 1);
  }
  return 0;
}

/** Reciprocal rank (MRR's per-query value) of a single list; NaN when skipped. */
export function reciprocalRank(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: BinaryMetricOptions = {},
): number {
  checkRankingInput(scores, labels, [0, scores.length], false);
  const query = rankQuery(scores, labels, 0, scores.length, options.ties ?? 'pessimistic');
  return reciprocalRankOfRankedQuery(
    query,
    resolveCutoff(options.k, 'k'),
    options.relevanceThreshold ?? 0,
    options.noRelevant ?? 'one',
  );
}
