import { ConfigError } from '@mtl2r/core';

/** The ranking metrics this package computes. */
export type RankingMetricName = 'ndcg' | 'mrr' | 'map' | 'precision' | 'err';

/** Gain of a graded label in (N)DCG: `exponential` is 2^y - 1 (the spec's default), `linear` is y. */
export type GainKind = 'exponential' | 'linear';

/**
 * What a query scores when no ranking of it can score above zero (NDCG: ideal DCG is 0; MRR, MAP, P@k:
 * no label above the relevance threshold; ERR: no label above 0). `one` (the default, as XGBoost,
 * LightGBM and allRank do for NDCG), `zero`, or `skip` (left out of the mean; its per-query value is NaN).
 */
export type NoRelevantRule = 'one' | 'zero' | 'skip';

/**
 * How documents with equal predicted scores are ordered.
 * - `pessimistic` (default): among equal scores the document with the lower label ranks first (the worst
 *   case). The value then depends only on the (score, label) pairs, never on the order documents arrive in,
 *   and a model that outputs constant scores gets no credit from the file's document order.
 * - `input-order`: among equal scores the lower index ranks first (a stable sort; what LightGBM does).
 * - `average`: the expected value over all orderings of each tie group, which for NDCG and P@k equals the
 *   mean gain of the group at each of its positions (scikit-learn's `ndcg_score` with ignore_ties=False).
 *   Only for those gain-linear metrics; MRR, MAP and ERR reject it.
 */
export type TieRule = 'pessimistic' | 'input-order' | 'average';

/** Options of the single-list binary-relevance metrics (reciprocal rank, average precision, precision). */
export interface BinaryMetricOptions {
  /** Cut-off; omitted: the whole list. */
  k?: number;
  /** A document is relevant when its label is strictly greater than this; default 0. */
  relevanceThreshold?: number;
  /** Value when the query has no relevant document; default `one`. */
  noRelevant?: NoRelevantRule;
  /** Default `pessimistic`; `average` is not defined for this metric. */
  ties?: Exclude<TieRule, 'average'>;
}

/** One metric to compute. Options left out fall back to the `EvaluateRankingOptions`. */
export interface MetricSpec {
  metric: RankingMetricName;
  /** Cut-off: only the top k ranked documents count. Omitted: the whole list (required for precision). */
  k?: number;
  gain?: GainKind;
  noRelevant?: NoRelevantRule;
  /** MRR, MAP, P@k: a document is relevant when its label is strictly greater than this. */
  relevanceThreshold?: number;
  /** ERR: the top grade of the label scale (stop probability (2^g - 1) / 2^maxGrade). */
  maxGrade?: number;
}

/** The string forms accepted by `parseMetric`. */
export const METRIC_NAME_FORMS: readonly string[] = [
  'ndcg',
  'ndcg@k',
  'mrr',
  'mrr@k',
  'map',
  'map@k',
  'p@k',
  'err',
  'err@k',
];

const PREFIX_TO_METRIC: Readonly<Record<string, RankingMetricName>> = {
  ndcg: 'ndcg',
  mrr: 'mrr',
  map: 'map',
  p: 'precision',
  precision: 'precision',
  err: 'err',
};

/**
 * Parses `ndcg@10`, `ndcg`, `mrr`, `map`, `p@5`, `err@10` (case-insensitive) into a spec.
 * `where` names the config path in the error (e.g. `evaluation.metrics[2]`).
 */
export function parseMetric(name: string, where = ''): MetricSpec {
  const text = name.trim().toLowerCase();
  const match = /^([a-z]+)(?:@(\d+))?$/.exec(text);
  // Own keys only: 'constructor' or 'toString' must not resolve through the prototype.
  const prefix = match?.[1];
  const metric =
    prefix !== undefined && Object.hasOwn(PREFIX_TO_METRIC, prefix) ? PREFIX_TO_METRIC[prefix] : undefined;
  if (match === null || metric === undefined) {
    throw new ConfigError('Unknown ranking metric', [
      {
        path: where,
        message: `got ${JSON.stringify(name)}; expected one of ${METRIC_NAME_FORMS.join(', ')} (k a positive integer)`,
      },
    ]);
  }
  const spec: MetricSpec = { metric };
  if (match[2] !== undefined) {
    const k = Number(match[2]);
    if (k < 1) {
      throw new ConfigError('Bad ranking metric cut-off', [
        {
          path: where,
          message: `got ${JSON.stringify(name)}; the k in ${match[1]}@k must be a positive integer`,
        },
      ]);
    }
    spec.k = k;
  }
  if (metric === 'precision' && spec.k === undefined) {
    throw new ConfigError('Precision needs a cut-off', [
      {
        path: where,
        message: `got ${JSON.stringify(name)}; expected p@k with k a positive integer, e.g. p@5`,
      },
    ]);
  }
  return spec;
}

/** The canonical name of a spec: `ndcg@10`, `p@5`, `mrr`. Used as the metric's name in results. */
export function formatMetric(spec: MetricSpec): string {
  const prefix = spec.metric === 'precision' ? 'p' : spec.metric;
  return spec.k === undefined ? prefix : `${prefix}@${spec.k}`;
}

/** Checks a spec given as an object (from a config file) and returns it; errors name `where`. */
export function validateMetricSpec(spec: MetricSpec, where = ''): MetricSpec {
  const issues: { path: string; message: string }[] = [];
  const at = (field: string) => (where === '' ? field : `${where}.${field}`);
  if (!Object.hasOwn(METRIC_LABELS, spec.metric)) {
    issues.push({
      path: at('metric'),
      message: `got ${JSON.stringify(spec.metric)}; expected one of ndcg, mrr, map, precision, err`,
    });
  }
  if (spec.k !== undefined && !(Number.isInteger(spec.k) && spec.k >= 1)) {
    issues.push({ path: at('k'), message: `got ${spec.k}; expected a positive integer` });
  }
  if (spec.metric === 'precision' && spec.k === undefined) {
    issues.push({ path: at('k'), message: 'precision needs a cut-off k (a positive integer)' });
  }
  if (spec.gain !== undefined && spec.gain !== 'exponential' && spec.gain !== 'linear') {
    issues.push({
      path: at('gain'),
      message: `got ${JSON.stringify(spec.gain)}; expected "exponential" or "linear"`,
    });
  }
  if (spec.noRelevant !== undefined && !['one', 'zero', 'skip'].includes(spec.noRelevant)) {
    issues.push({
      path: at('noRelevant'),
      message: `got ${JSON.stringify(spec.noRelevant)}; expected "one", "zero" or "skip"`,
    });
  }
  if (spec.relevanceThreshold !== undefined && !Number.isFinite(spec.relevanceThreshold)) {
    issues.push({
      path: at('relevanceThreshold'),
      message: `got ${spec.relevanceThreshold}; expected a finite number`,
    });
  }
  if (spec.maxGrade !== undefined && !(Number.isFinite(spec.maxGrade) && spec.maxGrade > 0)) {
    issues.push({ path: at('maxGrade'), message: `got ${spec.maxGrade}; expected a positive finite number` });
  }
  if (issues.length > 0) throw new ConfigError('Bad ranking metric', issues);
  return spec;
}

const METRIC_LABELS: Readonly<Record<RankingMetricName, true>> = {
  ndcg: true,
  mrr: true,
  map: true,
  precision: true,
  err: true,
};
