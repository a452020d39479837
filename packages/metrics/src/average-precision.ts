import type { BinaryMetricOptions, NoRelevantRule } from './metric-spec.js';
import { type RankedQuery, rankQuery } from './ranked-query.js';
import { checkRankingInput, noRelevantValue, resolveCutoff } from './ranking-input.js';

/**
 * Average precision (MAP's per-query value): the mean of precision@rank over the relevant documents
 * ranked in the top k, divided by min(relevant count, k) so a perfect top k scores 1 (LightGBM's map@k).
 */
export function averagePrecisionOfRankedQuery(
  query: RankedQuery,
  k: number,
  threshold: number,
  noRelevant: NoRelevantRule,
): number {
  const { labels, order } = query;
  let relevantCount = 0;
  for (const index of order) if ((labels[index] as number) > threshold) relevantCount++;
  if (relevantCount === 0) return noRelevantValue(noRelevant);
  const cut = Math.min(k, order.length);
  let hits = 0;
  let precisionSum = 0;
  for (let p = 0; p < cut; p++) {
    if ((labels[order[p] as number] as number) > threshold) {
      hits++;
      precisionSum += hits / (p + 1);
    }
  }
  return precisionSum / Math.min(relevantCount, k);
}

/** Average precision of a single list; NaN when skipped. */
export function averagePrecision(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: BinaryMetricOptions = {},
): number {
  checkRankingInput(scores, labels, [0, scores.length], false);
  const query = rankQuery(scores, labels, 0, scores.length, options.ties ?? 'pessimistic');
  return averagePrecisionOfRankedQuery(
    query,
    resolveCutoff(options.k, 'k'),
    options.relevanceThreshold ?? 0,
    options.noRelevant ?? 'one',
  );
}
