export { averagePrecision } from './average-precision.js';
export { builtinMetricPlugins } from './builtin-metrics.js';
export { type DeltaMOptions, type DeltaMTerm, deltaM } from './delta-m.js';
export {
  type EvaluateRankingOptions,
  evaluateRanking,
  type MetricResult,
  type ResolvedMetricSpec,
} from './evaluate-ranking.js';
export { type ErrOptions, expectedReciprocalRank } from './expected-reciprocal-rank.js';
export { type HypervolumeOptions, hypervolume } from './hypervolume.js';
export {
  assertMetricPlugin,
  defineMetric,
  METRIC_CONTRACT_VERSION,
  type MetricPlugin,
  rankedLabels,
} from './metric-plugin.js';
export { MetricRegistry } from './metric-registry.js';
export {
  type BinaryMetricOptions,
  formatMetric,
  type GainKind,
  isBuiltinMetric,
  METRIC_NAME_FORMS,
  type MetricEntry,
  type MetricSpec,
  metricNameForms,
  metricPluginFor,
  type NoRelevantRule,
  parseMetric,
  parseMetricEntry,
  type RankingMetricName,
  type TieRule,
  validateMetricSpec,
} from './metric-spec.js';
export { type NdcgOptions, ndcg } from './ndcg.js';
export { ndcgHypervolume } from './ndcg-hypervolume.js';
export type { ObjectiveSense, ObjectiveSenses } from './objective-points.js';
export { dominates, nonDominatedIndices } from './pareto.js';
export { type PrecisionOptions, precision } from './precision.js';
export { idealLabels, type RankedQuery, rankQuery } from './ranked-query.js';
export { reciprocalRank } from './reciprocal-rank.js';
