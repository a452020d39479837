import { ConfigError, PluginError } from '@mtl2r/core';
import type { MetricPlugin } from './metric-plugin.js';
import type { MetricRegistry } from './metric-registry.js';
import {
  formatMetric,
  type GainKind,
  isBuiltinMetric,
  type MetricSpec,
  metricPluginFor,
  type NoRelevantRule,
  parseMetric,
  type TieRule,
  validateMetricSpec,
} from './metric-spec.js';
import { rankQuery } from './ranked-query.js';
import { checkRankingInput } from './ranking-input.js';

/** Defaults for every metric of an `evaluateRanking` call; a `MetricSpec` field overrides its default. */
export interface EvaluateRankingOptions {
  /** NDCG gain; default `exponential` (2^y - 1). */
  gain?: GainKind;
  /** Value of a query no ranking can score above 0; default `one`. */
  noRelevant?: NoRelevantRule;
  /** Order of documents with equal scores; default `pessimistic` (see `TieRule`). */
  ties?: TieRule;
  /** MRR, MAP, P@k: relevant means label > threshold; default 0. */
  relevanceThreshold?: number;
  /** ERR's top grade; default the largest label in `labels` (pass it to compare across splits). */
  maxGrade?: number;
  /** Where metric plugins' names resolve; default mtl2r's own metrics only. */
  registry?: MetricRegistry;
}

/**
 * A metric spec with every default filled in (`k` undefined: the whole list). A plugin metric's `options`
 * hold its validated options; the other fields then only record the call's defaults.
 */
export type ResolvedMetricSpec = Required<Omit<MetricSpec, 'k' | 'options'>> & {
  k: number | undefined;
  options?: unknown;
};

export interface MetricResult {
  /** Canonical name, e.g. `ndcg@10`, `p@5`. */
  name: string;
  /** The spec with every default filled in. */
  spec: ResolvedMetricSpec;
  /** One value per query; NaN for queries skipped by `noRelevant: 'skip'`. */
  perQuery: Float64Array;
  /** Macro mean over the counted queries (NaN when none is counted). */
  mean: number;
  /** Number of queries in the mean. */
  counted: number;
}

const TIE_RULES: readonly TieRule[] = ['pessimistic', 'input-order', 'average'];

/**
 * Computes ranking metrics over many queries given as columnar arrays: documents of query q are
 * [queryOffsets[q], queryOffsets[q + 1]). Each query is ranked once and the order is shared by all metrics.
 * `metrics` holds names (`ndcg@10`, `ndcg`, `mrr`, `map`, `p@5`, `err@10`, or a plugin metric's `rbp@10`
 * when `options.registry` holds it) or specs; results keep their order.
 */
export function evaluateRanking(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  queryOffsets: ArrayLike<number>,
  metrics: readonly (string | MetricSpec)[],
  options: EvaluateRankingOptions = {},
): MetricResult[] {
  const ties = options.ties ?? 'pessimistic';
  if (!TIE_RULES.includes(ties)) {
    throw new ConfigError('Bad ranking evaluation option', [
      {
        path: 'options.ties',
        message: `got ${JSON.stringify(ties)}; expected one of ${TIE_RULES.join(', ')}`,
      },
    ]);
  }
  // The call's defaults obey the same rules as a spec's fields.
  validateMetricSpec(
    {
      metric: 'ndcg',
      gain: options.gain,
      noRelevant: options.noRelevant,
      relevanceThreshold: options.relevanceThreshold,
      maxGrade: options.maxGrade,
    },
    'options',
  );
  const registry = options.registry;
  const specs = metrics.map((metric, i) =>
    typeof metric === 'string'
      ? parseMetric(metric, `metrics[${i}]`, registry)
      : validateMetricSpec(metric, `metrics[${i}]`, registry),
  );
  // Validation above guarantees every spec's plugin exists.
  const plugins = specs.map((spec) => metricPluginFor(spec.metric, registry) as MetricPlugin<unknown>);
  specs.forEach((spec, i) => {
    if (ties === 'average' && plugins[i]?.averageTies !== true) {
      throw new ConfigError('Tie rule not defined for this metric', [
        {
          path: `metrics[${i}]`,
          message: `ties: 'average' is only defined for ndcg and p@k (gain-linear metrics; a plugin declares averageTies); use 'pessimistic' or 'input-order' for ${formatMetric(spec)}`,
        },
      ]);
    }
  });
  const needsGradedLabels = plugins.some((plugin) => plugin.needsNonNegativeLabels === true);
  checkRankingInput(scores, labels, queryOffsets, needsGradedLabels);

  let largestLabel = 0;
  for (let i = 0; i < labels.length; i++) largestLabel = Math.max(largestLabel, labels[i] as number);
  const resolved = specs.map(
    (spec): ResolvedMetricSpec => ({
      metric: spec.metric,
      k: spec.k,
      gain: spec.gain ?? options.gain ?? 'exponential',
      noRelevant: spec.noRelevant ?? options.noRelevant ?? 'one',
      relevanceThreshold: spec.relevanceThreshold ?? options.relevanceThreshold ?? 0,
      maxGrade: spec.maxGrade ?? options.maxGrade ?? largestLabel,
      ...(isBuiltinMetric(spec.metric) ? {} : { options: spec.options }),
    }),
  );
  // mtl2r's own metrics take the resolved spec fields as options; a plugin its own validated options.
  const pluginOptions = resolved.map((spec) => (isBuiltinMetric(spec.metric) ? spec : spec.options));

  const queryCount = queryOffsets.length - 1;
  const perQuery = resolved.map(() => new Float64Array(queryCount));
  for (let q = 0; q < queryCount; q++) {
    const ranked = rankQuery(scores, labels, queryOffsets[q] as number, queryOffsets[q + 1] as number, ties);
    resolved.forEach((spec, m) => {
      const plugin = plugins[m] as MetricPlugin<unknown>;
      const value = plugin.perQuery(ranked, spec.k ?? Number.POSITIVE_INFINITY, pluginOptions[m]);
      // A broken plugin must not turn a mean into Infinity or a string silently.
      if (
        typeof value !== 'number' ||
        value === Number.POSITIVE_INFINITY ||
        value === Number.NEGATIVE_INFINITY
      ) {
        throw new PluginError(
          `metric '${plugin.name}'${plugin.packageName === undefined ? '' : ` (${plugin.packageName})`} gave ${String(value)} for query ${q}; a metric gives a finite number per query (NaN: the query is skipped)`,
        );
      }
      (perQuery[m] as Float64Array)[q] = value;
    });
  }

  return resolved.map((spec, m) => {
    const values = perQuery[m] as Float64Array;
    let sum = 0;
    let counted = 0;
    for (const value of values) {
      if (!Number.isNaN(value)) {
        sum += value;
        counted++;
      }
    }
    return {
      name: formatMetric(spec),
      spec,
      perQuery: values,
      mean: counted === 0 ? Number.NaN : sum / counted,
      counted,
    };
  });
}
