export { averagePrecision } from './average-precision.js';
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
  type BinaryMetricOptions,
  formatMetric,
  type GainKind,
  METRIC_NAME_FORMS,
  type MetricSpec,
  type NoRelevantRule,
  parseMetric,
  type RankingMetricName,
  type TieRule,
  validateMetricSpec,
} from './metric-spec.js';
export { type NdcgOptions, ndcg } from './ndcg.js';
export { ndcgHypervolume } from './ndcg-hypervolume.js';
export type { ObjectiveSense, ObjectiveSenses } from './objective-points.js';
export { dominates, nonDominatedIndices } from './pareto.js';
export { type PrecisionOptions, precision } from './precision.js';
export { reciprocalRank } from './reciprocal-rank.js';
