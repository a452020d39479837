/**
 * A parsed split, stored column-wise in typed arrays so that MSLR-scale data (millions of documents)
 * costs one Float32Array for the features and one for the labels, never an object per document.
 */
export interface RankingSplit {
  /** Where the rows came from (a file path), used in error messages. */
  source: string;
  /** Model input width F, after the columns used as labels or dropped were removed. */
  featureCount: number;
  /** The file's feature count (declared or largest id seen), before any column was removed. */
  fileFeatureCount: number;
  /** The file's 1-based feature id of each input column (length F). */
  featureIds: Int32Array;
  /** Task names, in label order (length K). */
  taskNames: string[];
  /** The file's qid of each query, in file order (length Q). */
  queryIds: string[];
  /** Query q's documents are rows [queryOffsets[q], queryOffsets[q+1]) (length Q+1). */
  queryOffsets: Int32Array;
  /** N x F row-major features. */
  features: Float32Array;
  /** K x N task-major labels: task k's labels are at [k*N, (k+1)*N). */
  labels: Float32Array;
}

export function documentCount(split: RankingSplit): number {
  return split.queryOffsets[split.queryOffsets.length - 1] ?? 0;
}

export function queryCount(split: RankingSplit): number {
  return split.queryOffsets.length - 1;
}

/** The labels of task `task` for every document (a view, not a copy). */
export function taskLabels(split: RankingSplit, task: number): Float32Array {
  const n = documentCount(split);
  return split.labels.subarray(task * n, (task + 1) * n);
}
