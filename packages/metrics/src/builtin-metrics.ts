import { z } from 'zod';
import { averagePrecisionOfRankedQuery } from './average-precision.js';
import { errOfRankedQuery } from './expected-reciprocal-rank.js';
import { METRIC_CONTRACT_VERSION, type MetricPlugin } from './metric-plugin.js';
import { ndcgOfRankedQuery } from './ndcg.js';
import { precisionOfRankedQuery } from './precision.js';
import { reciprocalRankOfRankedQuery } from './reciprocal-rank.js';

const noRelevant = z.enum(['one', 'zero', 'skip']).optional();
const relevanceThreshold = z.number().finite().optional();
const binaryOptions = z.strictObject({ relevanceThreshold, noRelevant });

const common = {
  contractVersion: METRIC_CONTRACT_VERSION,
  packageName: '@mtl2r/metrics',
  higherIsBetter: true,
  range: [0, 1],
  noRelevant: 'one',
} as const;

/**
 * mtl2r's own metrics as plugins. Their options are the `MetricSpec` fields; `evaluateRanking` fills the
 * ones left out from its call options, so `perQuery` sees them resolved (its own defaults are the same).
 */
export const builtinMetricPlugins: readonly MetricPlugin<unknown>[] = Object.freeze([
  {
    ...common,
    name: 'ndcg',
    description: 'normalised discounted cumulative gain (Jarvelin & Kekalainen 2002)',
    options: z.strictObject({ gain: z.enum(['exponential', 'linear']).optional(), noRelevant }),
    needsNonNegativeLabels: true,
    averageTies: true,
    perQuery: (query, k, options) =>
      ndcgOfRankedQuery(query, k, options.gain ?? 'exponential', options.noRelevant ?? 'one'),
  } satisfies MetricPlugin<{ gain?: 'exponential' | 'linear'; noRelevant?: 'one' | 'zero' | 'skip' }>,
  {
    ...common,
    name: 'mrr',
    description: 'reciprocal rank of the first relevant document',
    options: binaryOptions,
    perQuery: (query, k, options) =>
      reciprocalRankOfRankedQuery(query, k, options.relevanceThreshold ?? 0, options.noRelevant ?? 'one'),
  } satisfies MetricPlugin<z.output<typeof binaryOptions>>,
  {
    ...common,
    name: 'map',
    description: 'average precision',
    options: binaryOptions,
    perQuery: (query, k, options) =>
      averagePrecisionOfRankedQuery(query, k, options.relevanceThreshold ?? 0, options.noRelevant ?? 'one'),
  } satisfies MetricPlugin<z.output<typeof binaryOptions>>,
  {
    ...common,
    name: 'precision',
    description: 'precision at k (written p@k)',
    options: binaryOptions,
    cutoff: 'required',
    averageTies: true,
    perQuery: (query, k, options) =>
      precisionOfRankedQuery(query, k, options.relevanceThreshold ?? 0, options.noRelevant ?? 'one'),
  } satisfies MetricPlugin<z.output<typeof binaryOptions>>,
  {
    ...common,
    name: 'err',
    description: 'expected reciprocal rank (Chapelle et al. 2009)',
    options: z.strictObject({ maxGrade: z.number().positive().finite().optional(), noRelevant }),
    needsNonNegativeLabels: true,
    perQuery: (query, k, options) =>
      errOfRankedQuery(query, k, options.maxGrade ?? largestLabel(query), options.noRelevant ?? 'one'),
  } satisfies MetricPlugin<{ maxGrade?: number; noRelevant?: 'one' | 'zero' | 'skip' }>,
] as MetricPlugin<unknown>[]);

function largestLabel(query: { labels: ArrayLike<number>; order: Int32Array }): number {
  let largest = 0;
  for (const index of query.order) largest = Math.max(largest, query.labels[index] as number);
  return largest;
}
