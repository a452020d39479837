import { describe, expect, it } from 'vitest';
import { documentCount, queryCount, type RankingSplit, taskLabels } from './ranking-split.js';

const split: RankingSplit = {
  source: 's',
  featureCount: 1,
  fileFeatureCount: 1,
  featureIds: Int32Array.from([1]),
  taskNames: ['relevance', 'click'],
  queryIds: ['a', 'b'],
  queryOffsets: Int32Array.from([0, 2, 3]),
  features: Float32Array.from([0, 0, 0]),
  labels: Float32Array.from([2, 0, 1, 7, 8, 9]),
};

describe('RankingSplit helpers', () => {
  it('count documents and queries from the offsets', () => {
    expect(documentCount(split)).toBe(3);
    expect(queryCount(split)).toBe(2);
  });

  it("taskLabels is a view on task k's block of the task-major labels", () => {
    expect(Array.from(taskLabels(split, 1))).toEqual([7, 8, 9]);
    taskLabels(split, 0)[1] = 4;
    expect(split.labels[1]).toBe(4);
  });
});
