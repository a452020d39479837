import { describe, expect, it } from 'vitest';
import type { RankingSplit } from './ranking-split.js';
import { buildSlateBatch, evaluationBatches } from './slate-batch.js';

/** Queries of 3, 1 and 2 documents; 2 features (row*10, row*10+1); tasks: label = row, aux = 100+row. */
function split(): RankingSplit {
  const n = 6;
  return {
    source: 's',
    featureCount: 2,
    fileFeatureCount: 2,
    featureIds: Int32Array.from([1, 2]),
    taskNames: ['relevance', 'aux'],
    queryIds: ['a', 'b', 'c'],
    queryOffsets: Int32Array.from([0, 3, 4, 6]),
    features: Float32Array.from({ length: n * 2 }, (_, i) => Math.floor(i / 2) * 10 + (i % 2)),
    labels: Float32Array.from({ length: 2 * n }, (_, i) => (i < n ? i : 100 + i - n)),
  };
}

describe('buildSlateBatch', () => {
  it('copies chosen documents, pads with mask 0 / docIndex -1 / zeros, labels task-major', () => {
    const batch = buildSlateBatch(split(), [2, 0], [undefined, Int32Array.from([0, 2])], 3);
    expect(batch).toMatchObject({ batchSize: 2, slateLength: 3, featureCount: 2, taskCount: 2 });
    expect(Array.from(batch.queryIndex)).toEqual([2, 0]);
    expect(Array.from(batch.mask)).toEqual([1, 1, 0, 1, 1, 0]);
    expect(Array.from(batch.docIndex)).toEqual([0, 1, -1, 0, 2, -1]);
    expect(Array.from(batch.features)).toEqual([40, 41, 50, 51, 0, 0, 0, 1, 20, 21, 0, 0]);
    // task 0 for the whole batch, then task 1
    expect(Array.from(batch.labels)).toEqual([4, 5, 0, 0, 2, 0, 104, 105, 0, 100, 102, 0]);
  });

  it('refuses more documents than the slate holds', () => {
    expect(() => buildSlateBatch(split(), [0], [undefined], 2)).toThrow(
      /query 0 has 3 documents but the slate length is 2/,
    );
  });
});

describe('evaluationBatches', () => {
  it('yields every query in order, never cut, padded to the longest list of each batch', () => {
    const batches = [...evaluationBatches(split(), { batchSize: 2 })];
    expect(batches.map((b) => [b.batchSize, b.slateLength])).toEqual([
      [2, 3],
      [1, 2],
    ]);
    expect(batches.flatMap((b) => Array.from(b.queryIndex))).toEqual([0, 1, 2]);
    expect(batches.reduce((sum, b) => sum + b.mask.reduce((s, m) => s + m, 0), 0)).toBe(6);
    expect(Array.from(batches[0]?.docIndex ?? [])).toEqual([0, 1, 2, 0, -1, -1]);
  });

  it('refuses a bad batch size', () => {
    expect(() => evaluationBatches(split(), { batchSize: 0 }).next()).toThrow(
      /evaluation batchSize must be an integer >= 1, got 0/,
    );
  });
});
