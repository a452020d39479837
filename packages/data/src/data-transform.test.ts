import { DataError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { parseDataSpec } from './data-spec.js';
import {
  applyDataTransform,
  fitDataTransform,
  quantileThresholds,
  transformLabel,
} from './data-transform.js';
import type { RankingSplit } from './ranking-split.js';

/** Two queries (2 docs + 1 doc), columns: a=[1,3,5], b=[0,0.99,9.99], c=[-1,-2,-3], d=[-1,0,1]. */
function split(): RankingSplit {
  return {
    source: 'train.txt',
    featureCount: 4,
    fileFeatureCount: 4,
    featureIds: Int32Array.from([1, 2, 3, 4]),
    taskNames: ['relevance'],
    queryIds: ['q1', 'q2'],
    queryOffsets: Int32Array.from([0, 2, 3]),
    features: Float32Array.from([1, 0, -1, -1, 3, 0.99, -2, 0, 5, 9.99, -3, 1]),
    labels: Float32Array.from([2, 0, 1]),
  };
}

const column = (s: RankingSplit, j: number): number[] =>
  [0, 1, 2].map((row) => s.features[row * s.featureCount + j] as number);

describe('fitDataTransform / applyDataTransform', () => {
  it('zscore: train mean and population std (+1e-6), fitted once and applied to another split', () => {
    const train = split();
    const transform = fitDataTransform(train, parseDataSpec({ normalize: 'zscore' }));
    expect(transform.mean?.[0]).toBeCloseTo(3, 12);
    expect(transform.std?.[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    applyDataTransform(train, transform);
    column(train, 0).forEach((v, i) => {
      expect(v).toBeCloseTo([-1.22474412, 0, 1.22474412][i] as number, 6);
    });
    // A vali split uses the train statistics, not its own.
    const vali = split();
    vali.features[0] = 7;
    applyDataTransform(vali, transform);
    expect(vali.features[0]).toBeCloseTo((7 - 3) / (Math.sqrt(8 / 3) + 1e-6), 5);
  });

  it("log-zscore: allRank's ln(x + 0.01) for non-negative columns, negated for non-positive ones, none for mixed", () => {
    const train = split();
    const transform = fitDataTransform(train, parseDataSpec({ normalize: 'log-zscore' }));
    expect(transform.columnLog).toEqual(['log', 'log', 'negated-log', 'none']);
    applyDataTransform(train, transform);
    // numpy: x = log([0, .99, 9.99] + .01); (x - x.mean()) / (x.std() + 1e-6)
    column(train, 1).forEach((v, i) => {
      expect(v).toBeCloseTo([-1.33630574, 0.26726115, 1.0690446][i] as number, 5);
    });
    column(train, 2).forEach((v, i) => {
      expect(v).toBeCloseTo([-1.31626405, 0.21027038, 1.10599367][i] as number, 5);
    });
    column(train, 3).forEach((v, i) => {
      expect(v).toBeCloseTo([-1.22474412, 0, 1.22474412][i] as number, 5);
    });
  });

  it('log-zscore keeps values below the train minimum finite', () => {
    const transform = fitDataTransform(split(), parseDataSpec({ normalize: 'log-zscore' }));
    const vali = split();
    vali.features[1] = -5;
    applyDataTransform(vali, transform);
    expect(Number.isFinite(vali.features[1])).toBe(true);
  });

  it('query-minmax and query-zscore work within each query; a one-document query maps to 0', () => {
    const minmax = applyDataTransform(
      split(),
      fitDataTransform(split(), parseDataSpec({ normalize: 'query-minmax' })),
    );
    expect(column(minmax, 0)).toEqual([0, 1, 0]);
    expect(column(minmax, 2)).toEqual([1, 0, 0]);
    const zscore = applyDataTransform(
      split(),
      fitDataTransform(split(), parseDataSpec({ normalize: 'query-zscore' })),
    );
    expect(column(zscore, 0)).toEqual([-1, 1, 0]);
  });

  it('log1pFeatures apply sign(x) ln(1 + |x|) before normalisation', () => {
    const s = split();
    applyDataTransform(s, fitDataTransform(s, parseDataSpec({ log1pFeatures: [3] })));
    column(s, 2).forEach((v, i) => {
      expect(v).toBeCloseTo(-Math.log1p(i + 1), 6);
    });
    expect(column(s, 0)).toEqual([1, 3, 5]);
  });

  it('quantile-grades:5: 0 stays 0, positives binned by interpolated quantiles of train', () => {
    expect(quantileThresholds(Float32Array.from([0, 0, 1, 2, 3, 4, 5, 6, 7, 8]), 5)).toEqual([
      2.75, 4.5, 6.25,
    ]);
    const state = { kind: 'quantile-grades' as const, grades: 5, thresholds: [2.75, 4.5, 6.25] };
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 100, -3].map((v) => transformLabel(v, state))).toEqual([
      0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 0,
    ]);
    expect(transformLabel(Math.E - 1, { kind: 'log1p' })).toBeCloseTo(1, 12);
  });

  it('fits label transforms on feature tasks and applies them to the labels', () => {
    const s = split();
    s.taskNames = ['relevance', 'clicks'];
    s.labels = Float32Array.from([2, 0, 1, 0, 10, 30]);
    const spec = parseDataSpec({
      tasks: [
        { name: 'relevance', source: 'label' },
        { name: 'clicks', feature: 9, transform: 'quantile-grades:3' },
      ],
    });
    const transform = fitDataTransform(s, spec);
    expect(transform.labelTransforms).toEqual([
      { kind: 'raw' },
      { kind: 'quantile-grades', grades: 3, thresholds: [20] },
    ]);
    applyDataTransform(s, transform);
    expect(Array.from(s.labels)).toEqual([2, 0, 1, 0, 1, 2]);
    expect(JSON.parse(JSON.stringify(transform))).toEqual(transform);
  });

  it('refuses a task whose label column is constant on train', () => {
    const s = split();
    s.taskNames = ['relevance', 'flat'];
    s.labels = Float32Array.from([2, 0, 1, 0, 0, 0]);
    const spec = parseDataSpec({
      tasks: [
        { name: 'relevance', source: 'label' },
        { name: 'flat', feature: 43 },
      ],
    });
    expect(() => fitDataTransform(s, spec)).toThrow(DataError);
    expect(() => fitDataTransform(s, spec)).toThrow(
      /train.txt: task 'flat' takes its labels from feature 43, which is constant \(every value is 0\)/,
    );
  });

  it('refuses to apply a transform fitted on other columns or tasks', () => {
    const transform = fitDataTransform(split(), parseDataSpec({}));
    const other = split();
    other.featureIds = Int32Array.from([1, 2, 3, 5]);
    expect(() => applyDataTransform(other, transform)).toThrow(
      /input columns do not match the fitted transform: the split has features \[1, 2, 3, 5\], expected \[1, 2, 3, 4\]/,
    );
    const renamed = split();
    renamed.taskNames = ['grade'];
    expect(() => applyDataTransform(renamed, transform)).toThrow(
      /tasks \[grade\] do not match the fitted transform's \[relevance\]/,
    );
  });
});
