import type { SlateBatch } from '@mtl2r/data';

/**
 * Splits a batch into consecutive groups of lists whose padded size (lists x items) stays within
 * `maxItems`, so one forward pass never needs more backend memory than that (the wasm heap is 4 GiB and
 * never shrinks). A single list longer than the budget still forms its own micro-batch.
 */
export function splitIntoMicroBatches(batch: SlateBatch, maxItems: number): SlateBatch[] {
  const listsPerMicroBatch = Math.max(1, Math.floor(maxItems / Math.max(1, batch.slateLength)));
  if (listsPerMicroBatch >= batch.batchSize) return [batch];
  const out: SlateBatch[] = [];
  for (let first = 0; first < batch.batchSize; first += listsPerMicroBatch) {
    out.push(sliceLists(batch, first, Math.min(batch.batchSize, first + listsPerMicroBatch)));
  }
  return out;
}

/** Lists [from, to) of a batch as a batch of their own (same slate length). */
export function sliceLists(batch: SlateBatch, from: number, to: number): SlateBatch {
  const { batchSize: b, slateLength: l, featureCount: f, taskCount: k } = batch;
  const count = to - from;
  const labels = new Float32Array(k * count * l);
  for (let task = 0; task < k; task++) {
    labels.set(batch.labels.subarray(task * b * l + from * l, task * b * l + to * l), task * count * l);
  }
  return {
    batchSize: count,
    slateLength: l,
    featureCount: f,
    taskCount: k,
    features: batch.features.slice(from * l * f, to * l * f),
    labels,
    mask: batch.mask.slice(from * l, to * l),
    queryIndex: batch.queryIndex.slice(from, to),
    docIndex: batch.docIndex.slice(from * l, to * l),
  };
}
