import { ConfigError, Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import type { RankingSplit } from './ranking-split.js';
import type { SlateBatch } from './slate-batch.js';
import { TrainingBatcher, type TrainingBatcherOptions } from './training-batcher.js';

const LENGTHS = [3, 10, 1, 6, 2];

/** Queries of LENGTHS documents; one feature = global row; relevance > 0 only for doc 7 of query 1. */
function split(): RankingSplit {
  const offsets = [0];
  for (const length of LENGTHS) offsets.push((offsets.at(-1) as number) + length);
  const n = offsets.at(-1) as number;
  const labels = new Float32Array(n);
  labels[(offsets[1] as number) + 7] = 2;
  labels[0] = 1;
  return {
    source: 's',
    featureCount: 1,
    fileFeatureCount: 1,
    featureIds: Int32Array.from([1]),
    taskNames: ['relevance'],
    queryIds: LENGTHS.map((_, q) => `q${q}`),
    queryOffsets: Int32Array.from(offsets),
    features: Float32Array.from({ length: n }, (_, row) => row),
    labels,
  };
}

function epoch(batcher: TrainingBatcher): SlateBatch[] {
  return [...batcher.epochBatches()];
}

/** Per slate: [query, docs within the query]. */
function slates(batch: SlateBatch): Array<[number, number[]]> {
  return Array.from(batch.queryIndex, (q, b) => [
    q,
    Array.from(batch.docIndex.subarray(b * batch.slateLength, (b + 1) * batch.slateLength)).filter(
      (d) => d >= 0,
    ),
  ]);
}

const options: TrainingBatcherOptions = { batchSize: 2, maxSlateLength: 4, seed: 42 };

describe('TrainingBatcher', () => {
  it('one epoch covers every query once, long lists cut to maxSlateLength with sorted distinct documents', () => {
    const s = split();
    const batcher = new TrainingBatcher(s, options);
    expect(batcher.batchesPerEpoch).toBe(3);
    const batches = epoch(batcher);
    expect(batches.length).toBe(3);
    const seen = batches.flatMap(slates);
    expect(seen.map(([q]) => q).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const [q, docs] of seen) {
      expect(docs.length).toBe(Math.min(LENGTHS[q] as number, 4));
      expect(docs).toEqual([...new Set(docs)].sort((a, b) => a - b));
      expect(Math.max(...docs)).toBeLessThan(LENGTHS[q] as number);
    }
    for (const batch of batches) {
      // features hold the global row: check each real item is its query's document
      slates(batch).forEach(([q, docs], b) => {
        docs.forEach((d, i) => {
          expect(batch.features[b * batch.slateLength + i]).toBe((s.queryOffsets[q] as number) + d);
        });
      });
      expect(batch.slateLength).toBe(
        Math.max(...Array.from(batch.queryIndex, (q) => Math.min(LENGTHS[q] as number, 4))),
      );
    }
    expect(batcher.epoch).toBe(1);
  });

  it('re-draws a sample that lost the only relevant document', () => {
    const batcher = new TrainingBatcher(split(), { ...options, batchSize: 5 });
    for (let e = 0; e < 30; e++) {
      const [batch] = epoch(batcher);
      const long = slates(batch as SlateBatch).find(([q]) => q === 1);
      expect(long?.[1]).toContain(7);
    }
  });

  it('samples differently across epochs but identically for the same seed', () => {
    const docsOf = (b: TrainingBatcher): string[] =>
      Array.from({ length: 5 }, () => JSON.stringify(epoch(b).flatMap(slates)));
    const a = docsOf(new TrainingBatcher(split(), options));
    const again = docsOf(new TrainingBatcher(split(), options));
    const other = docsOf(new TrainingBatcher(split(), { ...options, seed: 43 }));
    expect(again).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(1);
    expect(other).not.toEqual(a);
    const fromRng = docsOf(new TrainingBatcher(split(), { ...options, seed: new Rng(42) }));
    expect(fromRng).toEqual(a);
  });

  it('resumes from a saved position on exactly the same next batches', () => {
    const original = new TrainingBatcher(split(), options);
    epoch(original);
    original.nextBatch();
    const saved = JSON.parse(JSON.stringify(original.position()));
    expect(saved).toMatchObject({ epoch: 1, cursor: 1 });
    const rest = [original.nextBatch(), original.nextBatch(), original.nextBatch(), ...epoch(original)];
    const resumed = new TrainingBatcher(split(), { ...options, seed: 999 });
    resumed.restore(saved);
    const again = [resumed.nextBatch(), resumed.nextBatch(), resumed.nextBatch(), ...epoch(resumed)];
    expect(again.map((b) => b && Array.from(b.features))).toEqual(
      rest.map((b) => b && Array.from(b.features)),
    );
    expect(rest[2]).toBeNull(); // the end of epoch 1
  });

  it('bucketByLength batches lists of similar length; padToMaxSlateLength pads every slate to the maximum', () => {
    const bucketed = new TrainingBatcher(split(), { ...options, bucketByLength: true });
    const groups = epoch(bucketed).map((b) =>
      Array.from(b.queryIndex, (q) => Math.min(LENGTHS[q] as number, 4)).sort(),
    );
    expect(groups.sort()).toEqual([[1, 2], [3, 4], [4]].sort());
    const padded = new TrainingBatcher(split(), { ...options, padToMaxSlateLength: true });
    expect(epoch(padded).map((b) => b.slateLength)).toEqual([4, 4, 4]);
  });

  it('without shuffling, queries come in file order', () => {
    const batcher = new TrainingBatcher(split(), { ...options, shuffle: false });
    expect(epoch(batcher).flatMap((b) => Array.from(b.queryIndex))).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses bad options and positions with what was expected', () => {
    expect(() => new TrainingBatcher(split(), { ...options, batchSize: 0 })).toThrow(ConfigError);
    expect(() => new TrainingBatcher(split(), { ...options, maxSlateLength: 2.5 })).toThrow(
      /maxSlateLength: expected an integer >= 1, got 2.5/,
    );
    expect(() => new TrainingBatcher(split(), { ...options, relevanceTask: 3 })).toThrow(
      /relevanceTask: expected a task index in 0..0, got 3/,
    );
    const batcher = new TrainingBatcher(split(), options);
    expect(() => batcher.restore({ epoch: 0, cursor: 9, rng: new Rng(1).state() })).toThrow(
      /expected epoch >= 0 and cursor in 0..3, got epoch 0, cursor 9/,
    );
  });
});
