import { isAbsolute, resolve } from 'node:path';
import { ConfigError, type ConfigIssue, isUserError } from '@mtl2r/core';
import { isPathSpec, loadPluginModule } from '@mtl2r/core/node';
import {
  assertMetricPlugin,
  formatMetric,
  MetricRegistry,
  type MetricSpec,
  metricPluginFor,
  parseMetric,
  parseMetricEntry,
} from '@mtl2r/metrics';
import type { MetricConfigEntry } from './config.js';

/** The metrics of a run, resolved once its metric plugins are loaded. */
export interface RunMetrics {
  /** mtl2r's own metrics plus the run's plugin metrics. */
  registry: MetricRegistry;
  /** One spec per `evaluation.metrics` entry, options validated. */
  specs: MetricSpec[];
  /** Their canonical names (`ndcg@10`, `rbp@10`), the keys of every logged result. */
  names: string[];
}

/** A metric entry's `plugin` as a run directory records it: file paths absolute (relative to the config). */
export function resolveMetricPluginPath(entry: MetricConfigEntry, configDir: string): MetricConfigEntry {
  if (typeof entry === 'string' || entry.plugin === undefined) return entry;
  if (!isPathSpec(entry.plugin) || isAbsolute(entry.plugin)) return entry;
  return { ...entry, plugin: resolve(configDir, entry.plugin) };
}

/** The canonical name of an entry without loading plugins: `ndcg@10`, `p@5`, `rbp@10`. */
export function metricEntryName(entry: MetricConfigEntry): string {
  const name = typeof entry === 'string' ? entry : entry.name;
  const text = name.trim().toLowerCase();
  const at = text.indexOf('@');
  const prefix = at < 0 ? text : text.slice(0, at);
  const k = at < 0 ? (typeof entry === 'string' ? undefined : entry.k) : Number(text.slice(at + 1));
  return formatMetric({
    metric: prefix,
    ...(k === undefined ? {} : { k }),
  });
}

/** The canonical names of a config's `evaluation.metrics`. */
export function metricNames(entries: readonly MetricConfigEntry[]): string[] {
  return entries.map(metricEntryName);
}

/** The metric names plugin entries of `evaluation.metrics` declare (`rbp` of `{ name: 'rbp', plugin }`). */
export function declaredPluginMetrics(entries: readonly MetricConfigEntry[]): Set<string> {
  return new Set(
    entries.flatMap((entry) =>
      typeof entry === 'string' || entry.plugin === undefined
        ? []
        : [entry.name.trim().toLowerCase().split('@')[0] as string],
    ),
  );
}

/**
 * Canonicalises a metric name of the config without loading plugins: mtl2r's own are checked and written
 * canonically; a name whose prefix a plugin entry declares is kept (lower case) for `runMetricsFor` to
 * check once the plugin is loaded. Anything else is a ConfigError at `where`.
 */
export function canonicalConfigMetric(name: string, where: string, declared: ReadonlySet<string>): string {
  const text = name.trim().toLowerCase();
  const prefix = text.split('@')[0] as string;
  if (declared.has(prefix)) return metricEntryName(text);
  return formatMetric(parseMetric(name, where));
}

/**
 * mtl2r's own metrics plus every metric the config loads by package or file (`evaluation.metrics[i].plugin`),
 * as a loss comes from a plugin: a package name (`mtl2r-metric-rbp`, `@acme/metric`), a short id (tries
 * `@mtl2r/metric-<id>`, then `mtl2r-metric-<id>`) or a file path. The plugin must provide the entry's
 * `name`. Problems are added to `issues` with their config paths.
 */
export async function metricRegistryFor(
  entries: readonly MetricConfigEntry[],
  configDir: string,
  issues: ConfigIssue[],
): Promise<MetricRegistry> {
  const registry = new MetricRegistry();
  for (const [i, entry] of entries.entries()) {
    if (typeof entry === 'string' || entry.plugin === undefined) continue;
    const name = entry.name.trim().toLowerCase().split('@')[0] as string;
    try {
      const loaded = await loadPluginModule(entry.plugin, 'metric', configDir);
      assertMetricPlugin(loaded.value, `the default export of ${loaded.source}`);
      if (loaded.value.name !== name) {
        issues.push({
          path: `evaluation.metrics[${i}].name`,
          message: `${loaded.source} provides metric '${loaded.value.name}', not '${name}'`,
        });
        continue;
      }
      registry.use(loaded.value);
    } catch (error) {
      if (!isUserError(error)) throw error;
      issues.push({
        path: `evaluation.metrics[${i}].plugin`,
        message: `${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}`,
      });
    }
  }
  return registry;
}

/**
 * Loads the config's metric plugins and checks every metric entry against the registry (names, cut-offs,
 * options; no name twice). Problems are added to `issues`; the result is undefined when there were any.
 */
export async function runMetricsFor(
  entries: readonly MetricConfigEntry[],
  configDir: string,
  issues: ConfigIssue[],
): Promise<RunMetrics | undefined> {
  const before = issues.length;
  const registry = await metricRegistryFor(entries, configDir, issues);
  if (issues.length > before) return undefined;
  const specs: MetricSpec[] = [];
  const names: string[] = [];
  entries.forEach((entry, i) => {
    const where = `evaluation.metrics[${i}]`;
    try {
      const spec = parseMetricEntry(entry, where, registry);
      const name = formatMetric(spec);
      if (names.includes(name)) {
        issues.push({
          path: where,
          message: `'${name}' is already in evaluation.metrics; give each metric once`,
        });
      }
      specs.push(spec);
      names.push(name);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  });
  return issues.length > before ? undefined : { registry, specs, names };
}

/** `runMetricsFor` that throws the problems as one ConfigError (for `mtl2r eval` on a run directory). */
export async function loadRunMetrics(
  entries: readonly MetricConfigEntry[],
  configDir: string,
): Promise<RunMetrics> {
  const issues: ConfigIssue[] = [];
  const metrics = await runMetricsFor(entries, configDir, issues);
  if (metrics === undefined) throw new ConfigError('invalid evaluation.metrics', issues);
  return metrics;
}

/** Whether larger values of a metric (by canonical name) are better; `delta_m` is a lower-is-better loss. */
export function metricHigherIsBetter(metrics: RunMetrics, name: string): boolean {
  if (name === 'delta_m') return false;
  const spec = parseMetric(name, '', metrics.registry);
  return metricPluginFor(spec.metric, metrics.registry)?.higherIsBetter ?? true;
}
