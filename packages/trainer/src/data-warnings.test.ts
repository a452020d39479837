import type { RankingSplit } from '@mtl2r/data';
import { describe, expect, it } from 'vitest';
import { degenerateDataWarnings } from './data-warnings.js';

/** A split with the given list lengths and, per task, one label per document. */
function split(lengths: number[], labels: number[][]): RankingSplit {
  const offsets = [0];
  for (const length of lengths) offsets.push((offsets[offsets.length - 1] as number) + length);
  const n = offsets[offsets.length - 1] as number;
  return {
    source: 'train.txt',
    featureCount: 1,
    fileFeatureCount: 1,
    featureIds: Int32Array.from([1]),
    taskNames: labels.map((_, k) => `t${k}`),
    queryIds: lengths.map((_, q) => String(q)),
    queryOffsets: Int32Array.from(offsets),
    features: new Float32Array(n),
    labels: Float32Array.from(labels.flat()),
  };
}

describe('degenerateDataWarnings', () => {
  it('is silent on ordinary data', () => {
    expect(degenerateDataWarnings(split([2, 3], [[0, 1, 2, 0, 1]]))).toEqual([]);
  });

  it('counts single-document queries, and says when all are', () => {
    expect(degenerateDataWarnings(split([1, 3, 1], [[0, 1, 2, 0, 1]]))).toEqual([
      'train.txt: 2 of 3 training queries have a single document; ranking losses are 0 on them',
    ]);
    expect(degenerateDataWarnings(split([1, 1], [[0, 1]]))).toEqual([
      'train.txt: all 2 training queries have a single document: every ranking loss is 0 and the model cannot learn',
    ]);
  });

  it('names a task whose labels are all equal', () => {
    expect(
      degenerateDataWarnings(
        split(
          [2, 2],
          [
            [0, 1, 1, 0],
            [3, 3, 3, 3],
          ],
        ),
      ),
    ).toEqual([
      "train.txt: task 't1' has the same label (3) on all 4 training documents: it gives no ranking signal (check its label column in data.spec.tasks)",
    ]);
  });
});
