import { ConfigError } from '@mtl2r/core';
import { type ReadProgress, readSvmlight } from './read-svmlight.js';

export interface InspectOptions {
  /** Feature ids to summarise like labels (e.g. MSLR's 132, 133, 134, 136). */
  labelFeatures?: number[];
  featureCount?: number;
  regroup?: boolean;
  onProgress?: (progress: ReadProgress) => void;
}

/** Exact counts when a column has few distinct values, else ten equal-count bins with their ranges. */
export type Histogram =
  | { kind: 'values'; bins: Array<{ value: number; count: number }> }
  | { kind: 'deciles'; bins: Array<{ from: number; to: number; count: number }> };

export interface InspectReport {
  file: string;
  fileBytes: number;
  queries: number;
  documents: number;
  featureCount: number;
  /** Documents per query. */
  listLength: { min: number; p50: number; p90: number; p99: number; max: number; mean: number };
  /** Queries whose every label (first column) is <= 0. */
  queriesWithoutRelevant: number;
  /** Feature ids whose value is the same on every line. */
  constantFeatures: number[];
  histograms: Array<{ name: string; histogram: Histogram }>;
}

const MAX_DISTINCT = 20;

/** Reads a whole LETOR/svmlight file (plain or .gz) and summarises it. */
export async function inspectSvmlight(file: string, options: InspectOptions = {}): Promise<InspectReport> {
  const parse: { featureCount?: number; regroup?: boolean; onProgress?: (progress: ReadProgress) => void } =
    {};
  if (options.featureCount !== undefined) parse.featureCount = options.featureCount;
  if (options.regroup !== undefined) parse.regroup = options.regroup;
  if (options.onProgress !== undefined) parse.onProgress = options.onProgress;
  const { table, fileBytes } = await readSvmlight(file, parse);
  const n = table.labels.length;
  const f = table.featureCount;
  const q = table.queryIds.length;
  const lengths = new Int32Array(q);
  let withoutRelevant = 0;
  for (let query = 0; query < q; query++) {
    const start = table.queryOffsets[query] as number;
    const end = table.queryOffsets[query + 1] as number;
    lengths[query] = end - start;
    let relevant = false;
    for (let row = start; row < end && !relevant; row++) relevant = (table.labels[row] as number) > 0;
    if (!relevant) withoutRelevant++;
  }
  lengths.sort();
  const percentile = (p: number): number => lengths[Math.max(0, Math.ceil(p * q) - 1)] as number;

  const constant = new Uint8Array(f).fill(1);
  for (let row = 1; row < n; row++) {
    for (let j = 0; j < f; j++)
      if (constant[j] && table.features[row * f + j] !== table.features[j]) constant[j] = 0;
  }
  const histograms = [{ name: 'label', histogram: histogram(table.labels) }];
  for (const id of options.labelFeatures ?? []) {
    if (!Number.isInteger(id) || id < 1 || id > f) {
      throw new ConfigError('Invalid inspect options', [
        { path: 'labelFeatures', message: `feature ${id} does not exist: ${file} has features 1..${f}` },
      ]);
    }
    const column = new Float32Array(n);
    for (let row = 0; row < n; row++) column[row] = table.features[row * f + id - 1] as number;
    histograms.push({ name: `feature ${id}`, histogram: histogram(column) });
  }
  return {
    file,
    fileBytes,
    queries: q,
    documents: n,
    featureCount: f,
    listLength: {
      min: lengths[0] ?? 0,
      p50: percentile(0.5),
      p90: percentile(0.9),
      p99: percentile(0.99),
      max: lengths[q - 1] ?? 0,
      mean: n / q,
    },
    queriesWithoutRelevant: withoutRelevant,
    constantFeatures: Array.from(constant.entries())
      .filter(([, c]) => c === 1)
      .map(([j]) => j + 1),
    histograms,
  };
}

export function histogram(values: Float32Array): Histogram {
  const counts = new Map<number, number>();
  for (const v of values) {
    counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size > MAX_DISTINCT) break;
  }
  if (counts.size <= MAX_DISTINCT) {
    const bins = [...counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([value, count]) => ({ value, count }));
    return { kind: 'values', bins };
  }
  const sorted = Float32Array.from(values).sort();
  const bins: Array<{ from: number; to: number; count: number }> = [];
  let start = 0;
  for (let decile = 1; decile <= 10 && start < sorted.length; decile++) {
    let end = Math.min(sorted.length, Math.ceil((decile * sorted.length) / 10));
    // Keep equal values in one bin so the ranges do not overlap.
    while (end < sorted.length && sorted[end] === sorted[end - 1]) end++;
    if (end <= start) continue;
    bins.push({ from: sorted[start] as number, to: sorted[end - 1] as number, count: end - start });
    start = end;
  }
  return { kind: 'deciles', bins };
}
