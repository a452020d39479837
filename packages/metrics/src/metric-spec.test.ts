import { ConfigError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { formatMetric, parseMetric, validateMetricSpec } from './metric-spec.js';

describe('parseMetric', () => {
  it('parses every accepted form', () => {
    expect(parseMetric('ndcg@10')).toEqual({ metric: 'ndcg', k: 10 });
    expect(parseMetric('ndcg')).toEqual({ metric: 'ndcg' });
    expect(parseMetric('mrr')).toEqual({ metric: 'mrr' });
    expect(parseMetric('mrr@3')).toEqual({ metric: 'mrr', k: 3 });
    expect(parseMetric('map')).toEqual({ metric: 'map' });
    expect(parseMetric('p@5')).toEqual({ metric: 'precision', k: 5 });
    expect(parseMetric('precision@5')).toEqual({ metric: 'precision', k: 5 });
    expect(parseMetric('err@10')).toEqual({ metric: 'err', k: 10 });
    expect(parseMetric(' NDCG@5 ')).toEqual({ metric: 'ndcg', k: 5 });
  });

  it('round-trips through formatMetric', () => {
    for (const name of ['ndcg@10', 'ndcg', 'mrr', 'map@20', 'p@5', 'err@10']) {
      expect(formatMetric(parseMetric(name))).toBe(name);
    }
  });

  it('rejects unknown names, listing the valid forms and where', () => {
    expect(() => parseMetric('ndgc@10', 'evaluation.metrics[1]')).toThrow(ConfigError);
    expect(() => parseMetric('ndgc@10', 'evaluation.metrics[1]')).toThrow(
      /evaluation\.metrics\[1\]: got "ndgc@10"; expected one of ndcg, ndcg@k, mrr, mrr@k, map, map@k, p@k, err, err@k/,
    );
    expect(() => parseMetric('ndcg@')).toThrow(/got "ndcg@"/);
    expect(() => parseMetric('constructor@3')).toThrow(/got "constructor@3"/);
    expect(() => parseMetric('ndcg@-1')).toThrow(/got "ndcg@-1"/);
  });

  it('rejects a zero cut-off and precision without one', () => {
    expect(() => parseMetric('ndcg@0')).toThrow(/the k in ndcg@k must be a positive integer/);
    expect(() => parseMetric('p')).toThrow(/expected p@k with k a positive integer/);
  });
});

describe('validateMetricSpec', () => {
  it('accepts a full spec', () => {
    const spec = { metric: 'err', k: 5, maxGrade: 4, noRelevant: 'skip' } as const;
    expect(validateMetricSpec(spec)).toBe(spec);
  });

  it('reports every bad field with its path', () => {
    let error: unknown;
    try {
      validateMetricSpec({ metric: 'ndcg', k: 2.5, gain: 'log' as 'linear', maxGrade: -1 }, 'metrics[0]');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
      'metrics[0].k',
      'metrics[0].gain',
      'metrics[0].maxGrade',
    ]);
    expect(() => validateMetricSpec({ metric: 'auc' as 'map' })).toThrow(/metric: got "auc"/);
    expect(() => validateMetricSpec({ metric: 'toString' as 'map' })).toThrow(/metric: got "toString"/);
    expect(() => validateMetricSpec({ metric: 'precision' })).toThrow(/precision needs a cut-off k/);
  });
});
