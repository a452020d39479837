import { ConfigError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { deltaM } from './delta-m.js';

const term = (task: string, metric: string, value: number, baseline: number, higherIsBetter = true) => ({
  task,
  metric,
  value,
  baseline,
  higherIsBetter,
});

describe('deltaM', () => {
  it('is negative when the multi-task model beats the single-task baseline', () => {
    // NDCG 0.8 vs STL 0.75: -(0.05 / 0.75) * 100.
    expect(deltaM([term('relevance', 'ndcg@10', 0.8, 0.75)])).toBeCloseTo(-100 / 15, 12);
    // A loss that falls from 0.4 to 0.3 also improves: -(0.1 / 0.4) * 100.
    expect(deltaM([term('relevance', 'loss', 0.3, 0.4, false)])).toBeCloseTo(-25, 12);
  });

  it('is positive when the model is worse, and 0 when equal', () => {
    expect(deltaM([term('click', 'ndcg@10', 0.6, 0.8)])).toBeCloseTo(25, 12);
    expect(deltaM([term('click', 'ndcg@10', 0.8, 0.8)])).toBe(0);
  });

  it('averages over (task, metric) terms by default', () => {
    const terms = [term('relevance', 'ndcg@5', 0.8, 0.75), term('click', 'loss', 0.5, 0.4, false)];
    expect(deltaM(terms)).toBeCloseTo((100 * (-0.05 / 0.75 + 0.1 / 0.4)) / 2, 12);
  });

  it('averages within tasks first with average: tasks (LibMTL), which differs for unequal metric counts', () => {
    // Task a: -10% and -20% (improvements); task b: +30% (worse).
    const terms = [term('a', 'm1', 1.1, 1), term('a', 'm2', 1.2, 1), term('b', 'm1', 0.7, 1)];
    expect(deltaM(terms)).toBeCloseTo((-10 - 20 + 30) / 3, 12);
    expect(deltaM(terms, { average: 'tasks' })).toBeCloseTo((-15 + 30) / 2, 12);
  });

  it('rejects a zero baseline, non-finite values, an empty list and a bad option', () => {
    expect(() => deltaM([term('click', 'ndcg@10', 0.5, 0)])).toThrow(
      /terms\[0\] \(click ndcg@10\)\.baseline: is 0; delta_m divides by the single-task value/,
    );
    expect(() => deltaM([term('click', 'ndcg@10', Number.NaN, 0.5)])).toThrow(
      /value NaN and baseline 0.5 must both be finite/,
    );
    expect(() => deltaM([])).toThrow(ConfigError);
    expect(() => deltaM([term('a', 'm', 1, 1)], { average: 'queries' as 'tasks' })).toThrow(
      /average: got "queries"/,
    );
  });
});
