import { ConfigError, validateWithSchema } from '@mtl2r/core';
import type { MetricPlugin } from './metric-plugin.js';
import { builtinMetricRegistry, type MetricRegistry } from './metric-registry.js';

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
  /** One of mtl2r's own (`RankingMetricName`) or the name of a metric plugin in the registry. */
  metric: RankingMetricName | (string & {});
  /** Cut-off: only the top k ranked documents count. Omitted: the whole list (required for precision). */
  k?: number;
  gain?: GainKind;
  noRelevant?: NoRelevantRule;
  /** MRR, MAP, P@k: a document is relevant when its label is strictly greater than this. */
  relevanceThreshold?: number;
  /** ERR: the top grade of the label scale (stop probability (2^g - 1) / 2^maxGrade). */
  maxGrade?: number;
  /** A plugin metric's options (its schema's output); mtl2r's own metrics take the fields above. */
  options?: unknown;
}

/** A metric as a config names it with options: `{ name: 'rbp', k: 10, options: { persistence: 0.8 } }`. */
export interface MetricEntry {
  /** A metric name without the cut-off: `ndcg`, `p`, or a plugin's name. */
  name: string;
  k?: number;
  options?: Record<string, unknown>;
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
 * Parses `ndcg@10`, `ndcg`, `mrr`, `map`, `p@5`, `err@10` (case-insensitive) into a spec, and `name@k` of
 * any plugin metric in `registry` (its options at their defaults). `where` names the config path in the
 * error (e.g. `evaluation.metrics[2]`).
 */
export function parseMetric(
  name: string,
  where = '',
  registry: MetricRegistry = builtinMetricRegistry,
): MetricSpec {
  const spec = parseMetricName(name, where, registry);
  checkCutoffGiven(spec, name, where, registry);
  return spec;
}

function parseMetricName(name: string, where: string, registry: MetricRegistry): MetricSpec {
  const text = name.trim().toLowerCase();
  const match = /^([a-z][a-z0-9]*(?:[-_][a-z0-9]+)*)(?:@(\d+))?$/.exec(text);
  const prefix = match?.[1];
  const metric = prefix === undefined ? undefined : metricOfPrefix(prefix, registry);
  if (match === null || metric === undefined) {
    throw new ConfigError('Unknown ranking metric', [
      {
        path: where,
        message: `got ${JSON.stringify(name)}; expected one of ${metricNameForms(registry).join(', ')} (k a positive integer)`,
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
  if (!isBuiltinMetric(metric)) spec.options = pluginOptions(metric, {}, where, registry);
  return spec;
}

function checkCutoffGiven(spec: MetricSpec, name: string, where: string, registry: MetricRegistry): void {
  const { metric } = spec;
  if (spec.k === undefined && metricPluginFor(metric, registry)?.cutoff === 'required') {
    const example = metric === 'precision' ? 'p' : metric;
    throw new ConfigError(metric === 'precision' ? 'Precision needs a cut-off' : 'Metric needs a cut-off', [
      {
        path: where,
        message: `got ${JSON.stringify(name)}; expected ${example}@k with k a positive integer, e.g. ${example}@5`,
      },
    ]);
  }
}

/**
 * A config's metric (a name, or `{ name, k?, options? }`) as a spec. mtl2r's own metrics take their
 * `MetricSpec` fields as options (`{ name: 'ndcg', k: 10, options: { gain: 'linear' } }`).
 */
export function parseMetricEntry(
  entry: string | MetricEntry,
  where = '',
  registry: MetricRegistry = builtinMetricRegistry,
): MetricSpec {
  if (typeof entry === 'string') return parseMetric(entry, where, registry);
  const named = parseMetricName(entry.name, `${where}.name`, registry);
  if (named.k !== undefined && entry.k !== undefined) {
    throw new ConfigError('Bad ranking metric', [
      {
        path: `${where}.k`,
        message: `the cut-off is given twice ('${entry.name}' and k: ${entry.k}); give one`,
      },
    ]);
  }
  const k = named.k ?? entry.k;
  if (isBuiltinMetric(named.metric)) {
    const plugin = metricPluginFor(named.metric, registry) as MetricPlugin<unknown>;
    const options = validateWithSchema(
      plugin.options,
      entry.options ?? {},
      `invalid options for metric '${entry.name}'`,
      `${where}.options`,
    );
    return validateMetricSpec(
      { ...(options as object), metric: named.metric, ...(k === undefined ? {} : { k }) },
      where,
      registry,
    );
  }
  return validateMetricSpec(
    { metric: named.metric, ...(k === undefined ? {} : { k }), options: entry.options ?? {} },
    where,
    registry,
  );
}

/** The canonical name of a spec: `ndcg@10`, `p@5`, `mrr`. Used as the metric's name in results. */
export function formatMetric(spec: MetricSpec): string {
  const prefix = spec.metric === 'precision' ? 'p' : spec.metric;
  return spec.k === undefined ? prefix : `${prefix}@${spec.k}`;
}

/**
 * Checks a spec given as an object (from a config file) and returns it; errors name `where`. A plugin
 * metric's `options` are validated by its schema and the returned spec holds the schema's output.
 */
export function validateMetricSpec(
  spec: MetricSpec,
  where = '',
  registry: MetricRegistry = builtinMetricRegistry,
): MetricSpec {
  const issues: { path: string; message: string }[] = [];
  const at = (field: string) => (where === '' ? field : `${where}.${field}`);
  const builtin = isBuiltinMetric(spec.metric);
  const plugin = metricPluginFor(spec.metric, registry);
  if (plugin === undefined) {
    issues.push({
      path: at('metric'),
      message: `got ${JSON.stringify(spec.metric)}; expected one of ${['ndcg', 'mrr', 'map', 'precision', 'err', ...registry.pluginNames()].join(', ')}`,
    });
  }
  if (spec.k !== undefined && !(Number.isInteger(spec.k) && spec.k >= 1)) {
    issues.push({ path: at('k'), message: `got ${spec.k}; expected a positive integer` });
  }
  if (plugin?.cutoff === 'required' && spec.k === undefined) {
    issues.push({
      path: at('k'),
      message: `${spec.metric} needs a cut-off k (a positive integer)`,
    });
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
  if (plugin === undefined || builtin) return spec;
  return { ...spec, options: pluginOptions(spec.metric, spec.options ?? {}, where, registry) };
}

/** True for mtl2r's own five metrics, whose options are `MetricSpec` fields. */
export function isBuiltinMetric(metric: string): metric is RankingMetricName {
  return Object.hasOwn(METRIC_LABELS, metric);
}

/** The string forms `parseMetric` accepts with this registry: mtl2r's own, then each plugin's. */
export function metricNameForms(registry: MetricRegistry = builtinMetricRegistry): string[] {
  return [...METRIC_NAME_FORMS, ...registry.pluginNames().flatMap((name) => [name, `${name}@k`])];
}

/** The plugin that computes a metric: mtl2r's own whatever the registry holds, else the registry's. */
export function metricPluginFor(
  metric: string,
  registry: MetricRegistry = builtinMetricRegistry,
): MetricPlugin<unknown> | undefined {
  return isBuiltinMetric(metric) ? builtinMetricRegistry.get(metric) : registry.get(metric);
}

function metricOfPrefix(prefix: string, registry: MetricRegistry): string | undefined {
  // Own keys only: 'constructor' or 'toString' must not resolve through the prototype.
  if (Object.hasOwn(PREFIX_TO_METRIC, prefix)) return PREFIX_TO_METRIC[prefix];
  return registry.has(prefix) && !isBuiltinMetric(prefix) ? prefix : undefined;
}

function pluginOptions(metric: string, options: unknown, where: string, registry: MetricRegistry): unknown {
  const plugin = metricPluginFor(metric, registry);
  if (plugin === undefined) return options;
  return validateWithSchema(
    plugin.options,
    options,
    `invalid options for metric '${metric}'`,
    where === '' ? 'options' : `${where}.options`,
  );
}

const METRIC_LABELS: Readonly<Record<RankingMetricName, true>> = {
  ndcg: true,
  mrr: true,
  map: true,
  precision: true,
  err: true,
};
