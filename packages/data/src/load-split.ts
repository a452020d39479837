import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type DataSpec, type DataSpecInput, parseDataSpec } from './data-spec.js';
import { applyDataTransform, type DataTransform, fitDataTransform } from './data-transform.js';
import type { RankingSplit } from './ranking-split.js';
import { type ReadProgress, readSvmlight, unreadable } from './read-svmlight.js';
import { shapeSplit } from './shape-split.js';
import {
  type CacheMiss,
  cacheFilePath,
  defaultCacheDir,
  readSplitCache,
  writeSplitCache,
} from './split-cache.js';

export interface LoadSplitOptions {
  /** Cache directory, or false to always parse. Default: $MTL2R_CACHE_DIR or .cache/mtl2r under the working directory. */
  cacheDir?: string | false;
  onProgress?: (progress: ReadProgress) => void;
  /** Told whether the cache was used, and why not. */
  onCache?: (event: {
    file: string;
    cachePath: string;
    result: 'hit' | CacheMiss | 'written' | 'write-failed';
    error?: unknown;
  }) => void;
}

/**
 * Loads one split: from the cache when a fresh one exists, otherwise by streaming the LETOR/svmlight file
 * (plain or gzip), shaping it by the spec (tasks out, dropped columns out) and caching the result.
 * The split is not normalised: fit a DataTransform on train and apply it to every split.
 */
export async function loadSplit(
  file: string,
  specInput: DataSpec | DataSpecInput,
  options: LoadSplitOptions = {},
): Promise<RankingSplit> {
  const spec = parseDataSpec(specInput);
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  if (cacheDir === false)
    return shapeSplit(
      (await readSvmlight(file, { ...parseOptions(spec), onProgress: options.onProgress })).table,
      spec,
    );

  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(file, error);
  });
  const cachePath = cacheFilePath(cacheDir, file, spec);
  const cached = await readSplitCache(cachePath, { size: info.size, mtimeMs: info.mtimeMs }, () =>
    sha256OfFile(file),
  );
  if ('split' in cached) {
    options.onCache?.({ file, cachePath, result: 'hit' });
    options.onProgress?.({ bytesRead: info.size, totalBytes: info.size });
    return cached.split;
  }
  options.onCache?.({ file, cachePath, result: cached.miss });
  const { table, sha256 } = await readSvmlight(file, {
    ...parseOptions(spec),
    onProgress: options.onProgress,
    hash: true,
  });
  const split = shapeSplit(table, spec);
  try {
    await writeSplitCache(
      cachePath,
      split,
      { path: file, size: info.size, mtimeMs: info.mtimeMs, sha256: sha256 ?? '' },
      spec,
    );
    options.onCache?.({ file, cachePath, result: 'written' });
  } catch (error) {
    // A read-only or full disk must not stop training: the split is in memory either way.
    options.onCache?.({ file, cachePath, result: 'write-failed', error });
  }
  return split;
}

export interface LoadedSplits {
  train: RankingSplit;
  vali?: RankingSplit;
  test?: RankingSplit;
  /** Fitted on train, already applied to every split; save it with the model. */
  transform: DataTransform;
}

/** Loads train (+ vali, test), fits the transform on train and applies it to all of them. */
export async function loadSplits(
  files: { train: string; vali?: string; test?: string },
  specInput: DataSpec | DataSpecInput,
  options: LoadSplitOptions = {},
): Promise<LoadedSplits> {
  const trainSpec = parseDataSpec(specInput);
  const train = await loadSplit(files.train, trainSpec, options);
  const transform = fitDataTransform(train, trainSpec);
  applyDataTransform(train, transform);
  // A sparse vali/test file may not reach train's largest id: read it at train's width so the input
  // columns match (an id beyond it is then an error naming the width).
  const spec = { ...trainSpec, featureCount: trainSpec.featureCount ?? train.fileFeatureCount };
  const result: LoadedSplits = { train, transform };
  if (files.vali !== undefined)
    result.vali = applyDataTransform(await loadSplit(files.vali, spec, options), transform);
  if (files.test !== undefined)
    result.test = applyDataTransform(await loadSplit(files.test, spec, options), transform);
  return result;
}

function parseOptions(spec: DataSpec): { featureCount?: number; maxLabel?: number; regroup: boolean } {
  const out: { featureCount?: number; maxLabel?: number; regroup: boolean } = { regroup: spec.regroup };
  if (spec.featureCount !== undefined) out.featureCount = spec.featureCount;
  if (spec.maxLabel !== undefined) out.maxLabel = spec.maxLabel;
  return out;
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
