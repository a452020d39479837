import { evaluateRanking, MetricRegistry, parseMetricEntry } from '@mtl2r/metrics';
import { describeMetricConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import { rbp } from './rbp-metric.js';

describeMetricConformance(rbp);
describeMetricConformance(rbp, { options: { persistence: 0.5, maxGrade: 4 } });

describe('rbp', () => {
  const registry = new MetricRegistry().use(rbp);
  // One query whose scores rank its labels [1, 0, 2, 0].
  const scores = [4, 3, 2, 1];
  const labels = [1, 0, 2, 0];
  const value = (entry: Parameters<typeof parseMetricEntry>[0]) =>
    evaluateRanking(scores, labels, [0, 4], [parseMetricEntry(entry, '', registry)], { registry })[0]?.mean;

  it('matches hand-computed values', () => {
    // p = 0.8, binary: r = [1, 0, 1, 0]; (1 - 0.8) * (1 + 0.8^2) = 0.2 * 1.64.
    expect(value('rbp')).toBeCloseTo(0.328, 12);
    // p = 0.5, maxGrade 2: r = [0.5, 0, 1, 0]; 0.5 * (0.5 + 0.25 * 1) = 0.375; at k = 2 only 0.5 * 0.5.
    expect(value({ name: 'rbp', options: { persistence: 0.5, maxGrade: 2 } })).toBeCloseTo(0.375, 12);
    expect(value({ name: 'rbp', k: 2, options: { persistence: 0.5, maxGrade: 2 } })).toBeCloseTo(0.25, 12);
  });

  it('refuses a persistence outside (0, 1) at its config path', () => {
    expect(() =>
      parseMetricEntry({ name: 'rbp', options: { persistence: 1 } }, 'evaluation.metrics[1]', registry),
    ).toThrow(/evaluation\.metrics\[1\]\.options\.persistence/);
  });
});
