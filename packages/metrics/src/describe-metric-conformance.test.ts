import { describe, expect, it } from 'vitest';
import { builtinMetricPlugins } from './builtin-metrics.js';
import {
  checkCutoff,
  checkEdgeQueries,
  checkIdealRanking,
  checkOrderInvariance,
  checkRange,
  describeMetricConformance,
  MetricConformanceError,
  metricUnderTest,
} from './describe-metric-conformance.js';
import { defineMetric, type MetricPlugin, rankedLabels } from './metric-plugin.js';
import { recall } from './test-recall-metric.js';

for (const plugin of builtinMetricPlugins) describeMetricConformance(plugin);
describeMetricConformance(builtinMetricPlugins[0] as MetricPlugin<unknown>, {
  options: { gain: 'linear', noRelevant: 'zero' },
  noRelevant: 'zero',
});
describeMetricConformance(recall, { options: { threshold: 1 } });

/** A variant of recall with one rule broken. */
function broken(
  perQuery: MetricPlugin<{ threshold: number }>['perQuery'],
  extra: Partial<MetricPlugin<{ threshold: number }>> = {},
) {
  return metricUnderTest(defineMetric({ ...recall, ...extra, perQuery }) as MetricPlugin<unknown>);
}

describe('the metric checks reject a broken metric', () => {
  it('a value outside the declared range', () => {
    const doubled = broken((query, k, options) => 2 * recall.perQuery(query, k, options));
    expect(() => checkRange(doubled)).toThrow(MetricConformanceError);
    expect(() => checkRange(doubled)).toThrow(/^recall is 2, outside its declared range \[0, 1\], on scores/);
  });

  it('a value that depends on the order documents arrive in', () => {
    // Reads the first document of the input, not the first ranked one.
    const inputOrder = broken((query) => ((query.labels[Math.min(...query.order)] as number) > 0 ? 1 : 0));
    expect(() => checkOrderInvariance(inputOrder)).toThrow(/when the same documents arrive in another order/);
  });

  it('a metric that prefers bad rankings while declaring higher is better', () => {
    const inverted = broken((query, k, options) => {
      const labels = rankedLabels(query);
      if (!labels.some((y) => y > 0)) return 0;
      return labels.at(-1) === Math.min(...labels) ? 0 : 1 - recall.perQuery(query, k, options) / 2;
    });
    expect(() => checkIdealRanking(inverted)).toThrow(
      /of the ideal ranking \(scores = labels\) is .* below .* although higher is declared better/,
    );
  });

  it('a cut-off that lets documents below k count', () => {
    // Discounted hits over the whole list whatever k is, normalised per query.
    const ignoresK = broken((query) => {
      const labels = rankedLabels(query);
      const relevant = labels.filter((y) => y > 0).length;
      if (relevant === 0) return 0;
      let sum = 0;
      labels.forEach((y, p) => {
        if (y > 0) sum += 1 / (p + 1);
      });
      let best = 0;
      for (let p = 0; p < relevant; p++) best += 1 / (p + 1);
      return sum / best;
    });
    expect(() => checkCutoff(ignoresK)).toThrow(
      /recall@1 changes from .* when only documents ranked below 1 are reordered/,
    );
  });

  it('an all-zero-label query that does not give the declared noRelevant value', () => {
    const wrongRule = broken(recall.perQuery, { noRelevant: 'one' });
    expect(() => checkEdgeQueries(wrongRule)).toThrow(
      "recall of a query of 1 document(s) with every label 0 is 0; its declared noRelevant 'one' means 1",
    );
  });

  it('a single document that gives NaN', () => {
    const nanForOne = broken((query, k, options) =>
      query.order.length === 1 ? Number.NaN : recall.perQuery(query, k, options),
    );
    expect(() => checkEdgeQueries(nanForOne)).toThrow(/of a single document with label 1 is NaN/);
  });
});
