import type { SlateBatch } from '@mtl2r/data';
import { describe, expect, it } from 'vitest';
import { sliceLists, splitIntoMicroBatches } from './micro-batches.js';

/** 5 lists of 3 items, 2 features, 2 tasks; every value encodes its position. */
function batch(): SlateBatch {
  const b = 5;
  const l = 3;
  return {
    batchSize: b,
    slateLength: l,
    featureCount: 2,
    taskCount: 2,
    features: Float32Array.from({ length: b * l * 2 }, (_, i) => i),
    labels: Float32Array.from({ length: 2 * b * l }, (_, i) => 100 + i),
    mask: Float32Array.from({ length: b * l }, (_, i) => (i % 3 === 2 ? 0 : 1)),
    queryIndex: Int32Array.from({ length: b }, (_, i) => 10 + i),
    docIndex: Int32Array.from({ length: b * l }, (_, i) => (i % 3 === 2 ? -1 : i % 3)),
  };
}

describe('splitIntoMicroBatches', () => {
  it('keeps a batch that fits whole', () => {
    const whole = batch();
    expect(splitIntoMicroBatches(whole, 15)).toEqual([whole]);
  });

  it('splits into groups of lists within lists x items <= maxItems, preserving every value', () => {
    const parts = splitIntoMicroBatches(batch(), 7); // 2 lists of 3 items per part
    expect(parts.map((p) => p.batchSize)).toEqual([2, 2, 1]);
    expect(Array.from(parts[1]?.queryIndex ?? [])).toEqual([12, 13]);
    expect(Array.from(parts[1]?.features.slice(0, 2) ?? [])).toEqual([12, 13]);
    // Task 1's labels of lists 2..3 start at 100 + 15 + 6.
    expect(Array.from(parts[1]?.labels ?? [])).toEqual([
      106, 107, 108, 109, 110, 111, 121, 122, 123, 124, 125, 126,
    ]);
    expect(Array.from(parts[2]?.mask ?? [])).toEqual([1, 1, 0]);
  });

  it('gives a list longer than the budget its own micro-batch', () => {
    expect(splitIntoMicroBatches(batch(), 2).map((p) => p.batchSize)).toEqual([1, 1, 1, 1, 1]);
    expect(sliceLists(batch(), 4, 5).docIndex).toEqual(Int32Array.from([0, 1, -1]));
  });
});
