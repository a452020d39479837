import { ConfigError, PluginError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { evaluateRanking } from './evaluate-ranking.js';
import { assertMetricPlugin, defineMetric, METRIC_CONTRACT_VERSION } from './metric-plugin.js';
import { MetricRegistry } from './metric-registry.js';
import { formatMetric, parseMetric, parseMetricEntry, validateMetricSpec } from './metric-spec.js';
import { recall } from './test-recall-metric.js';

// Two queries: labels [2, 0, 1, 0] and [0, 0] (no relevant document).
const scores = Float32Array.from([0.9, 0.8, 0.1, 0.5, 0.3, 0.2]);
const labels = Float32Array.from([2, 0, 1, 0, 0, 0]);
const offsets = [0, 4, 6];

describe('MetricRegistry', () => {
  it('holds the five built-ins, then plugins in registration order', () => {
    const registry = new MetricRegistry().use(recall);
    expect(registry.names()).toEqual(['ndcg', 'mrr', 'map', 'precision', 'err', 'recall']);
    expect(registry.pluginNames()).toEqual(['recall']);
    expect(new MetricRegistry({ builtins: false }).names()).toEqual([]);
  });

  it('evaluates a plugin metric by name with its options, next to the built-ins', () => {
    const registry = new MetricRegistry().use(recall);
    const [ndcg, r2, strict] = evaluateRanking(
      scores,
      labels,
      offsets,
      [
        'ndcg@2',
        'recall@2',
        parseMetricEntry({ name: 'recall', k: 2, options: { threshold: 1 } }, '', registry),
      ],
      { registry },
    );
    // Query 0 ranks labels [2, 0, 0, 1]: two relevant documents, one in the top 2; query 1 has none (0).
    expect(r2?.name).toBe('recall@2');
    expect(Array.from(r2?.perQuery ?? [])).toEqual([0.5, 0]);
    expect(r2?.mean).toBe(0.25);
    expect(Array.from(strict?.perQuery ?? [])).toEqual([1, 0]); // only the label-2 document counts
    // The built-in's numbers are those of a call without a registry.
    expect(ndcg?.perQuery).toEqual(evaluateRanking(scores, labels, offsets, ['ndcg@2'])[0]?.perQuery);
  });

  it('parses plugin names case-insensitively and round-trips them', () => {
    const registry = new MetricRegistry().use(recall);
    expect(parseMetric(' Recall@5 ', '', registry)).toEqual({
      metric: 'recall',
      k: 5,
      options: { threshold: 0 },
    });
    expect(formatMetric(parseMetric('recall@5', '', registry))).toBe('recall@5');
  });

  it('without the registry, a plugin name is unknown and the error lists what is known', () => {
    expect(() => parseMetric('recall@5', 'evaluation.metrics[1]')).toThrow(ConfigError);
    expect(() => parseMetric('recall@5', 'evaluation.metrics[1]')).toThrow(
      /evaluation\.metrics\[1\]: got "recall@5"; expected one of ndcg, ndcg@k, .*err@k \(k/,
    );
    const registry = new MetricRegistry().use(recall);
    expect(() => parseMetric('rbp@5', 'm', registry)).toThrow(/err@k, recall, recall@k \(k/);
  });

  it('rejects bad plugin options and a doubled cut-off with their config paths', () => {
    const registry = new MetricRegistry().use(recall);
    expect(() =>
      parseMetricEntry({ name: 'recall', options: { threshold: -1 } }, 'evaluation.metrics[0]', registry),
    ).toThrow(/evaluation\.metrics\[0\]\.options\.threshold/);
    expect(() => parseMetricEntry({ name: 'recall@3', k: 3 }, 'evaluation.metrics[0]', registry)).toThrow(
      /evaluation\.metrics\[0\]\.k: the cut-off is given twice/,
    );
    expect(() => validateMetricSpec({ metric: 'recall', options: { nope: 1 } }, 'x', registry)).toThrow(
      /invalid options for metric 'recall'/,
    );
  });

  it("takes a built-in's options from an entry as its spec fields", () => {
    const spec = parseMetricEntry({ name: 'ndcg', k: 10, options: { gain: 'linear' } });
    expect(spec).toEqual({ metric: 'ndcg', k: 10, gain: 'linear' });
    expect(() => parseMetricEntry({ name: 'ndcg', options: { gain: 'log' } }, 'm[0]')).toThrow(
      /m\[0\]\.options\.gain/,
    );
  });

  it('refuses a second metric of a taken name, and the same object twice is a no-op', () => {
    const registry = new MetricRegistry().use(recall).use(recall);
    expect(registry.pluginNames()).toEqual(['recall']);
    const impostor = defineMetric({ ...recall, packageName: 'mtl2r-metric-other' });
    expect(() => registry.use(impostor)).toThrow(PluginError);
    expect(() => registry.use(impostor)).toThrow(
      /cannot register metric 'recall' \(mtl2r-metric-other\): the name is taken/,
    );
    expect(() => registry.use({ ...recall, name: 'ndcg' })).toThrow(/the name is taken by @mtl2r\/metrics/);
    expect(() => registry.use({ ...recall, name: 'p' })).toThrow(
      "cannot register metric 'p': the name is reserved for mtl2r's precision (p@k)",
    );
  });

  it('refuses the average tie rule for a plugin that does not declare it', () => {
    const registry = new MetricRegistry().use(recall);
    expect(() =>
      evaluateRanking(scores, labels, offsets, ['recall@2'], { registry, ties: 'average' }),
    ).toThrow(/ties: 'average' is only defined/);
  });
});

describe('a metric plugin at evaluation', () => {
  it('that gives a non-finite value stops the evaluation with a PluginError naming it', () => {
    const infinite = defineMetric({
      ...recall,
      name: 'broken',
      packageName: 'mtl2r-metric-broken',
      perQuery: () => Number.POSITIVE_INFINITY,
    });
    const registry = new MetricRegistry().use(infinite);
    expect(() => evaluateRanking(scores, labels, offsets, ['broken'], { registry })).toThrow(PluginError);
    expect(() => evaluateRanking(scores, labels, offsets, ['broken'], { registry })).toThrow(
      "metric 'broken' (mtl2r-metric-broken) gave Infinity for query 0; a metric gives a finite number per query (NaN: the query is skipped)",
    );
  });
});

describe('assertMetricPlugin', () => {
  it('lists every problem of a malformed plugin', () => {
    expect(() => assertMetricPlugin(null, 'file x.js')).toThrow(
      'file x.js is not a metric plugin: expected an object, got null',
    );
    expect(() =>
      assertMetricPlugin({ name: 'RBP', range: [1, 0], noRelevant: 'maybe', options: {} }, 'package p'),
    ).toThrow(
      [
        'package p is not a metric plugin:',
        '  - name must be a lower-case identifier like \'rbp\' (got "RBP")',
        '  - perQuery must be a function (query, k, options) => number',
        '  - options must be a Standard Schema (e.g. a zod schema)',
        '  - higherIsBetter must be true or false',
        '  - range must be [min, max] with min <= max (got [1,0])',
        "  - noRelevant must be 'one', 'zero' or 'skip' (got \"maybe\")",
      ].join('\n'),
    );
  });

  it('refuses another contract version by name', () => {
    expect(() => assertMetricPlugin({ ...recall, contractVersion: 2 }, 'p')).toThrow(
      `metric plugin 'recall' implements metric contract v2, but @mtl2r/metrics implements v${METRIC_CONTRACT_VERSION}`,
    );
  });
});
