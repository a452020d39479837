import { fileURLToPath } from 'node:url';
import type { ConfigIssue } from '@mtl2r/core';
import { evaluateRanking } from '@mtl2r/metrics';
import { describe, expect, it } from 'vitest';
import {
  canonicalConfigMetric,
  declaredPluginMetrics,
  loadRunMetrics,
  metricEntryName,
  metricHigherIsBetter,
  resolveMetricPluginPath,
  runMetricsFor,
} from './metric-plugins.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const misses = { name: 'misses', plugin: './test-fixtures/misses-metric.mjs', k: 2 };

describe('metrics from plugins', () => {
  it('loads a metric by file path relative to the config and resolves every entry with it', async () => {
    const metrics = await loadRunMetrics(
      ['ndcg@5', misses, 'misses@3', { name: 'ndcg', k: 3, options: { gain: 'linear' } }],
      packageDir,
    );
    expect(metrics.names).toEqual(['ndcg@5', 'misses@2', 'misses@3', 'ndcg@3']);
    expect(metrics.specs[3]).toEqual({ metric: 'ndcg', k: 3, gain: 'linear' });
    expect(metrics.registry.pluginNames()).toEqual(['misses']);
    // Labels ranked [0, 2, 0]: one miss in the top 2; a query without a relevant document is skipped.
    const [result] = evaluateRanking([3, 2, 1, 2, 1], [0, 2, 0, 0, 0], [0, 3, 5], metrics.specs.slice(1, 2), {
      registry: metrics.registry,
    });
    expect(Array.from(result?.perQuery ?? [])).toEqual([0.5, Number.NaN]);
    expect(result?.mean).toBe(0.5);
  });

  it('reads the sense of each metric from its plugin: early stopping and delta_m follow it', async () => {
    const metrics = await loadRunMetrics(['ndcg@5', misses], packageDir);
    expect(metricHigherIsBetter(metrics, 'ndcg@5')).toBe(true);
    expect(metricHigherIsBetter(metrics, 'misses@2')).toBe(false);
    expect(metricHigherIsBetter(metrics, 'delta_m')).toBe(false);
  });

  it('reports a missing package, a wrong name, an unknown metric and a duplicate, each at its config path', async () => {
    const issues: ConfigIssue[] = [];
    await runMetricsFor(
      [
        { name: 'rbp', plugin: 'nosuchmetric' },
        { name: 'rbp', plugin: './test-fixtures/misses-metric.mjs' },
      ],
      packageDir,
      issues,
    );
    expect(issues).toEqual([
      {
        path: 'evaluation.metrics[0].plugin',
        message: expect.stringContaining(
          "metric 'nosuchmetric' is not installed: cannot find package @mtl2r/metric-nosuchmetric or mtl2r-metric-nosuchmetric",
        ),
      },
      {
        path: 'evaluation.metrics[1].name',
        message: expect.stringMatching(/misses-metric\.mjs provides metric 'misses', not 'rbp'$/),
      },
    ]);
    await expect(loadRunMetrics(['ndcg@5', 'rbp@5', 'NDCG@5'], packageDir)).rejects.toThrow(
      /evaluation\.metrics\[1\]: got "rbp@5"; expected one of ndcg, .*\n.*evaluation\.metrics\[2\]: 'ndcg@5' is already in evaluation\.metrics/,
    );
    await expect(
      loadRunMetrics([{ name: 'misses', plugin: './test-fixtures/nope.mjs' }], packageDir),
    ).rejects.toThrow(/evaluation\.metrics\[0\]\.plugin: metric plugin file not found: .*nope\.mjs/);
  });

  it('names entries canonically without loading plugins, and records file paths absolute', () => {
    expect(metricEntryName(' NDCG@10 ')).toBe('ndcg@10');
    expect(metricEntryName({ name: 'precision', k: 5 })).toBe('p@5');
    expect(metricEntryName({ name: 'RBP', k: 10 })).toBe('rbp@10');
    const declared = declaredPluginMetrics(['ndcg', misses]);
    expect(canonicalConfigMetric('Misses@4', 'earlyStopping.metric', declared)).toBe('misses@4');
    expect(canonicalConfigMetric('precision@5', 'earlyStopping.metric', declared)).toBe('p@5');
    expect(() => canonicalConfigMetric('rbp@4', 'earlyStopping.metric', declared)).toThrow(
      /earlyStopping\.metric: got "rbp@4"/,
    );
    expect(resolveMetricPluginPath(misses, '/cfg')).toEqual({
      ...misses,
      plugin: '/cfg/test-fixtures/misses-metric.mjs',
    });
    expect(resolveMetricPluginPath({ name: 'rbp', plugin: 'mtl2r-metric-rbp' }, '/cfg')).toEqual({
      name: 'rbp',
      plugin: 'mtl2r-metric-rbp',
    });
    expect(resolveMetricPluginPath('ndcg@5', '/cfg')).toBe('ndcg@5');
  });
});
