import { PluginError } from '@mtl2r/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { NoRelevantRule } from './metric-spec.js';
import type { RankedQuery } from './ranked-query.js';

/** The metric contract version this package implements; a plugin built for another is refused by name. */
export const METRIC_CONTRACT_VERSION = 1 as const;

// Lower case: metric names are matched case-insensitively (`NDCG@5` is `ndcg@5`), and `@` starts the cut-off.
const NAME_PATTERN = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

/**
 * A ranking metric as a plugin, the same shape as a loss or strategy plugin, so a metric can come from
 * another package or a file (`evaluation.metrics: [{ name: 'rbp', plugin: 'mtl2r-metric-rbp', k: 10 }]`).
 * mtl2r's own five (ndcg, mrr, map, p, err) are plugins of this shape too. The checks a metric must pass
 * are in `describeMetricConformance` (`@mtl2r/metrics/conformance`).
 */
export interface MetricPlugin<Options = unknown> {
  /** The name used in configs and results, lower case: 'rbp' gives `rbp` and `rbp@10`. */
  name: string;
  contractVersion: typeof METRIC_CONTRACT_VERSION;
  /** Options schema (any Standard Schema library; zod v4 in mtl2r's own metrics). Must accept `{}`. */
  options: StandardSchemaV1<unknown, Options>;
  /** True when larger values mean a better ranking (early stopping and delta_m read it). */
  higherIsBetter: boolean;
  /** Every value a query can get lies in [min, max] (NaN only for a skipped query). */
  range: readonly [min: number, max: number];
  /** `required`: only `name@k` is accepted (as p@k); `optional` (default): `name` means the whole list. */
  cutoff?: 'optional' | 'required';
  /**
   * What a query whose labels are all 0 (no relevant document) gets under default options: `one`, `zero`,
   * or `skip` (NaN, left out of the mean). `perQuery` must return it; the conformance suite checks.
   */
  noRelevant: NoRelevantRule;
  /** True when the metric reads labels as gains and needs them >= 0 (ndcg, err); checked before evaluating. */
  needsNonNegativeLabels?: boolean;
  /**
   * True when the value is linear in per-position gains, so `ties: 'average'` (each tied group's mean gain
   * at each of its positions) is its exact expectation over tied orderings; false: that tie rule is refused.
   */
  averageTies?: boolean;
  /**
   * One query's value. `query.order` lists the query's documents best-scored first (ties already broken by
   * the evaluation's tie rule) as indices into `query.labels`; `rankedLabels(query)` gives the labels in
   * that order, `idealLabels(query)` the labels sorted descending (shared: read only). `k` is the cut-off,
   * `Infinity` for the whole list: documents ranked below k must not count.
   */
  perQuery(query: RankedQuery, k: number, options: Options): number;
  /** npm package that provides it, for error messages. */
  packageName?: string;
  description?: string;
}

/** Identity helper that types a metric plugin's options from its schema. */
export function defineMetric<Options>(plugin: MetricPlugin<Options>): MetricPlugin<Options> {
  return plugin;
}

/** The query's labels in ranked order, best-scored first (a fresh array). */
export function rankedLabels(query: RankedQuery): Float64Array {
  return Float64Array.from(query.order, (index) => query.labels[index] as number);
}

/** Checks that a value has the shape of a metric plugin for this contract version; `source` says where it came from. */
export function assertMetricPlugin(value: unknown, source: string): asserts value is MetricPlugin<unknown> {
  if (value === null || typeof value !== 'object') {
    throw new PluginError(
      `${source} is not a metric plugin: expected an object, got ${value === null ? 'null' : typeof value}`,
    );
  }
  const p = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof p.name !== 'string' || !NAME_PATTERN.test(p.name))
    problems.push(`name must be a lower-case identifier like 'rbp' (got ${JSON.stringify(p.name)})`);
  if (typeof p.perQuery !== 'function')
    problems.push('perQuery must be a function (query, k, options) => number');
  const options = p.options as { '~standard'?: { validate?: unknown } } | undefined;
  if (typeof options?.['~standard']?.validate !== 'function')
    problems.push('options must be a Standard Schema (e.g. a zod schema)');
  if (typeof p.higherIsBetter !== 'boolean') problems.push('higherIsBetter must be true or false');
  const range = p.range as unknown[] | undefined;
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    typeof range[0] !== 'number' ||
    typeof range[1] !== 'number' ||
    Number.isNaN(range[0]) ||
    Number.isNaN(range[1]) ||
    range[0] > range[1]
  )
    problems.push(`range must be [min, max] with min <= max (got ${JSON.stringify(p.range)})`);
  if (!['one', 'zero', 'skip'].includes(p.noRelevant as string))
    problems.push(`noRelevant must be 'one', 'zero' or 'skip' (got ${JSON.stringify(p.noRelevant)})`);
  if (p.cutoff !== undefined && p.cutoff !== 'optional' && p.cutoff !== 'required')
    problems.push(`cutoff must be 'optional' or 'required' (got ${JSON.stringify(p.cutoff)})`);
  if (problems.length > 0)
    throw new PluginError(`${source} is not a metric plugin:\n  - ${problems.join('\n  - ')}`);
  if (p.contractVersion !== METRIC_CONTRACT_VERSION) {
    throw new PluginError(
      `metric plugin '${String(p.name)}' implements metric contract v${String(p.contractVersion)}, but @mtl2r/metrics implements v${METRIC_CONTRACT_VERSION}`,
    );
  }
}
