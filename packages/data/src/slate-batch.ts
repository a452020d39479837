import { documentCount, type RankingSplit } from './ranking-split.js';

/**
 * B slates of length L, padded, as flat typed arrays ready for tensors. `mask` is the only padding
 * marker: padded items have mask 0, docIndex -1 and all-zero features and labels.
 */
export interface SlateBatch {
  batchSize: number;
  slateLength: number;
  featureCount: number;
  taskCount: number;
  /** B x L x F. */
  features: Float32Array;
  /** K x B x L, task-major. */
  labels: Float32Array;
  /** B x L: 1 = real document, 0 = padding. */
  mask: Float32Array;
  /** B: index of each slate's query in the split. */
  queryIndex: Int32Array;
  /** B x L: the document's index within its query, -1 for padding. */
  docIndex: Int32Array;
}

/**
 * Copies the chosen documents of each query into a padded batch. `documents[b]` lists indices within
 * query `queries[b]`; undefined means all of its documents in file order.
 */
export function buildSlateBatch(
  split: RankingSplit,
  queries: ArrayLike<number>,
  documents: ReadonlyArray<Int32Array | undefined>,
  slateLength: number,
): SlateBatch {
  const b = queries.length;
  const f = split.featureCount;
  const n = documentCount(split);
  const k = split.taskNames.length;
  const features = new Float32Array(b * slateLength * f);
  const labels = new Float32Array(k * b * slateLength);
  const mask = new Float32Array(b * slateLength);
  const queryIndex = new Int32Array(b);
  const docIndex = new Int32Array(b * slateLength).fill(-1);
  for (let slate = 0; slate < b; slate++) {
    const q = queries[slate] as number;
    queryIndex[slate] = q;
    const start = split.queryOffsets[q] as number;
    const length = (split.queryOffsets[q + 1] as number) - start;
    const chosen = documents[slate];
    const count = chosen === undefined ? length : chosen.length;
    if (count > slateLength)
      throw new RangeError(`query ${q} has ${count} documents but the slate length is ${slateLength}`);
    for (let i = 0; i < count; i++) {
      const within = chosen === undefined ? i : (chosen[i] as number);
      const row = start + within;
      const slot = slate * slateLength + i;
      features.set(split.features.subarray(row * f, row * f + f), slot * f);
      for (let task = 0; task < k; task++)
        labels[task * b * slateLength + slot] = split.labels[task * n + row] as number;
      mask[slot] = 1;
      docIndex[slot] = within;
    }
  }
  return {
    batchSize: b,
    slateLength,
    featureCount: f,
    taskCount: k,
    features,
    labels,
    mask,
    queryIndex,
    docIndex,
  };
}

export interface EvaluationBatchOptions {
  /** Queries per batch (default 64). */
  batchSize?: number;
}

/** Every query in file order, every document (lists are never cut), padded to the batch's longest list. */
export function* evaluationBatches(
  split: RankingSplit,
  options: EvaluationBatchOptions = {},
): Generator<SlateBatch> {
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`evaluation batchSize must be an integer >= 1, got ${batchSize}`);
  const q = split.queryIds.length;
  for (let first = 0; first < q; first += batchSize) {
    const queries: number[] = [];
    let longest = 0;
    for (let query = first; query < Math.min(q, first + batchSize); query++) {
      queries.push(query);
      longest = Math.max(
        longest,
        (split.queryOffsets[query + 1] as number) - (split.queryOffsets[query] as number),
      );
    }
    yield buildSlateBatch(split, queries, new Array(queries.length).fill(undefined), longest);
  }
}
