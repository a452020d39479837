import { ConfigError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { parseDataSpec } from './data-spec.js';
import { shapeSplit } from './shape-split.js';
import type { SvmlightTable } from './svmlight-parser.js';

/** 3 documents x 5 columns: column j of row r holds 10*r + j + 1. */
function table(): SvmlightTable {
  return {
    source: 'f.txt',
    featureCount: 5,
    queryIds: ['1', '2'],
    queryOffsets: Int32Array.from([0, 1, 3]),
    features: Float32Array.from({ length: 15 }, (_, i) => 10 * Math.floor(i / 5) + (i % 5) + 1),
    labels: Float32Array.from([2, 0, 1]),
    maxFeatureId: 5,
  };
}

describe('shapeSplit', () => {
  it('takes task labels from the label and feature columns and removes label and dropped columns from the input', () => {
    const spec = parseDataSpec({
      tasks: [
        { name: 'relevance', source: 'label' },
        { name: 'f4', feature: 4 },
      ],
      dropFeatures: [2],
    });
    const split = shapeSplit(table(), spec);
    expect(split.taskNames).toEqual(['relevance', 'f4']);
    expect(Array.from(split.featureIds)).toEqual([1, 3, 5]);
    expect(split.featureCount).toBe(3);
    expect(split.fileFeatureCount).toBe(5);
    expect(Array.from(split.features)).toEqual([1, 3, 5, 11, 13, 15, 21, 23, 25]);
    expect(Array.from(split.labels)).toEqual([2, 0, 1, 4, 14, 24]);
    expect(Array.from(split.queryOffsets)).toEqual([0, 1, 3]);
  });

  it('keeps every column when no feature is a task or dropped', () => {
    const split = shapeSplit(table(), parseDataSpec({}));
    expect(Array.from(split.featureIds)).toEqual([1, 2, 3, 4, 5]);
    expect(split.features.length).toBe(15);
  });

  it('refuses a task on a feature the file does not have', () => {
    const spec = parseDataSpec({ tasks: [{ name: 'click', feature: 9 }] });
    expect(() => shapeSplit(table(), spec)).toThrow(ConfigError);
    expect(() => shapeSplit(table(), spec)).toThrow(
      /data.tasks\[0\].feature: feature 9 does not exist: the file has 5 features \(expected 1..5\)/,
    );
  });
});
