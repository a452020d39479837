import { ConfigError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { mq2008Spec, mslrWeb30kSpec, parseDataSpec, taskTransform } from './data-spec.js';

describe('parseDataSpec', () => {
  it('fills defaults: one relevance task from the label, no normalisation', () => {
    const spec = parseDataSpec({});
    expect(spec.tasks).toEqual([{ name: 'relevance', source: 'label' }]);
    expect(spec.normalize).toBe('none');
    expect(spec.dropFeatures).toEqual([]);
    expect(spec.regroup).toBe(false);
  });

  it('default transforms: raw for the label, quantile-grades:5 for feature columns', () => {
    const spec = parseDataSpec(mslrWeb30kSpec());
    expect(spec.tasks.map((task) => [task.name, task.feature ?? 'label', taskTransform(task)])).toEqual([
      ['relevance', 'label', 'raw'],
      ['quality', 132, 'quantile-grades:5'],
      ['quality2', 133, 'quantile-grades:5'],
      ['click', 134, 'quantile-grades:5'],
      ['dwell', 136, 'quantile-grades:5'],
    ]);
    expect(spec.dropFeatures).toEqual([]);
    expect(parseDataSpec(mslrWeb30kSpec([134])).dropFeatures).toEqual([132, 133, 136]);
    expect(parseDataSpec(mq2008Spec()).tasks.map((task) => task.feature)).toEqual([undefined, 41, 42]);
  });

  it("refuses a dropFeatures entry that is a task's label column, naming both", () => {
    expect(() =>
      parseDataSpec({
        tasks: [
          { name: 'relevance', source: 'label' },
          { name: 'pagerank', feature: 41 },
        ],
        dropFeatures: [3, 41],
      }),
    ).toThrow(
      /data\.dropFeatures\[1\]: feature 41 is task 'pagerank''s label column \(tasks\[1\]\.feature\), which is removed from the input anyway: remove it from dropFeatures/,
    );
  });

  it('names every bad path with what was expected', () => {
    let error: ConfigError | undefined;
    try {
      parseDataSpec({
        tasks: [
          { name: 'a', source: 'label', feature: 3 },
          { name: 'a', feature: 0 },
          { name: 'b', feature: 50, transform: 'quantile-grades:1' },
        ],
        featureCount: 46,
        normalize: 'minmax',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const paths = error?.issues.map((issue) => issue.path) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining([
        'data.tasks[0]',
        'data.tasks[1].feature',
        'data.tasks[2].transform',
        'data.normalize',
      ]),
    );
    expect(error?.message).toMatch(/feature ids are 1-based: expected an integer >= 1/);
    expect(error?.message).toMatch(/expected 'raw', 'log1p' or 'quantile-grades:N' with an integer N >= 2/);
  });

  it('refuses duplicate names, a feature used twice and a task beyond featureCount', () => {
    expect(() =>
      parseDataSpec({
        tasks: [
          { name: 'x', source: 'label' },
          { name: 'x', feature: 2 },
        ],
      }),
    ).toThrow(/data.tasks\[1\].name: duplicate task name 'x'/);
    expect(() =>
      parseDataSpec({
        tasks: [
          { name: 'x', feature: 2 },
          { name: 'y', feature: 2 },
        ],
      }),
    ).toThrow(/feature 2 is already used by another task/);
    expect(() => parseDataSpec({ tasks: [{ name: 'x', feature: 47 }], featureCount: 46 })).toThrow(
      /feature 47 is beyond featureCount 46/,
    );
    expect(() =>
      parseDataSpec({
        tasks: [
          { name: 'x', source: 'label' },
          { name: 'y', source: 'label' },
        ],
      }),
    ).toThrow(/only one task can use source: 'label'/);
  });
});
