import { DataError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { parseDataSpec } from './data-spec.js';
import { assertTaskColumnsPresent, describeMissingFeatures, missingColumns } from './missing-columns.js';
import { SvmlightParser } from './svmlight-parser.js';

function table(text: string, featureCount?: number) {
  const parser = new SvmlightParser('f.txt', featureCount === undefined ? {} : { featureCount });
  parser.push(Buffer.from(text));
  return parser.finish();
}

describe('missingColumns', () => {
  const spec = parseDataSpec({
    tasks: [
      { name: 'relevance', source: 'label' },
      { name: 'clicks', feature: 6 },
    ],
  });

  it('finds input features and task label columns beyond the largest id of every line', () => {
    // Sparse lines: id 3 is absent from line 1 but present on line 2, so only 5 and 6 are missing.
    const narrow = table('1 qid:1 1:1 2:1\n0 qid:1 3:2 4:1\n', 6);
    const missing = missingColumns(narrow, [1, 2, 3, 4, 5], spec.tasks);
    expect(missing).toEqual({ features: [5], tasks: [{ name: 'clicks', feature: 6 }] });
    expect(describeMissingFeatures(narrow, missing.features, 5)).toBe(
      "1 of the model's 5 input features are absent (ids 5): the file's largest feature id is 4",
    );
    expect(() => assertTaskColumnsPresent(narrow, missing.tasks)).toThrow(DataError);
    expect(() => assertTaskColumnsPresent(narrow, missing.tasks)).toThrow(
      "f.txt: the label column of task 'clicks' (feature 6) is absent: the file's largest feature id is 4; metrics without labels would be meaningless",
    );
  });

  it('is empty when the file reaches every needed column', () => {
    const full = table('1 qid:1 1:1 6:2\n', 6);
    expect(missingColumns(full, [1, 2, 3, 4, 5], spec.tasks)).toEqual({ features: [], tasks: [] });
    expect(() => assertTaskColumnsPresent(full, [])).not.toThrow();
  });
});
