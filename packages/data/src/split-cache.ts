import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import type { DataSpec } from './data-spec.js';
import type { RankingSplit } from './ranking-split.js';

/**
 * Binary columnar cache of a parsed split:
 *   "MTL2RSP1" | u32 header bytes | u32 crc32(header) | header JSON | sections, each 8-byte aligned:
 *   queryOffsets Int32[Q+1], featureIds Int32[F], features Float32[N*F], labels Float32[K*N]
 * The header names the source (path, size, mtime, sha256) and the crc32 of the sections, so a stale or
 * corrupt file is detected; loading is one read into one buffer and typed-array views on it.
 */
const MAGIC = 'MTL2RSP1';
const FORMAT_VERSION = 2;
const PREFIX_BYTES = 16;

export interface SourceFingerprint {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

interface CacheHeader {
  format: number;
  specKey: string;
  sourcePath: string;
  source: SourceFingerprint;
  documents: number;
  queries: number;
  featureCount: number;
  fileFeatureCount: number;
  taskNames: string[];
  queryIds: string[];
  sectionsCrc32: number;
}

export type CacheMiss = 'missing' | 'stale' | 'corrupt';

/** The parts of a spec that change the parsed split (not normalisation or label transforms, fitted later). */
export function specCacheKey(spec: DataSpec): string {
  const parse = {
    featureCount: spec.featureCount ?? null,
    maxLabel: spec.maxLabel ?? null,
    regroup: spec.regroup,
    dropFeatures: [...spec.dropFeatures].sort((a, b) => a - b),
    tasks: spec.tasks.map((task) => [task.name, task.source ?? null, task.feature ?? null]),
  };
  return createHash('sha256').update(JSON.stringify(parse)).digest('hex').slice(0, 16);
}

/** The cache directory: the MTL2R_CACHE_DIR environment variable, else .cache/mtl2r under the working directory. */
export function defaultCacheDir(): string {
  return process.env.MTL2R_CACHE_DIR ?? join(process.cwd(), '.cache', 'mtl2r');
}

export function cacheFilePath(cacheDir: string, sourceFile: string, spec: DataSpec): string {
  const where = createHash('sha256').update(resolve(sourceFile)).digest('hex').slice(0, 12);
  const name = basename(sourceFile).replace(/[^\w.-]/g, '_');
  return join(cacheDir, `${name}.${where}.${specKey(spec)}.mtl2r`);
}

const specKey = specCacheKey;

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

function sectionsOf(split: RankingSplit): Uint8Array[] {
  const bytes = (array: Int32Array | Float32Array): Uint8Array =>
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  return [bytes(split.queryOffsets), bytes(split.featureIds), bytes(split.features), bytes(split.labels)];
}

/** Writes the cache file atomically: to a temporary name, then renamed, so no half file is ever visible. */
export async function writeSplitCache(
  path: string,
  split: RankingSplit,
  source: SourceFingerprint,
  spec: DataSpec,
): Promise<void> {
  const sections = sectionsOf(split);
  let sectionsCrc32 = 0;
  for (const section of sections) sectionsCrc32 = crc32(section, sectionsCrc32);
  const header: CacheHeader = {
    format: FORMAT_VERSION,
    specKey: specKey(spec),
    sourcePath: split.source,
    source,
    documents: split.labels.length / Math.max(1, split.taskNames.length),
    queries: split.queryIds.length,
    featureCount: split.featureCount,
    fileFeatureCount: split.fileFeatureCount,
    taskNames: split.taskNames,
    queryIds: split.queryIds,
    sectionsCrc32,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.length, 8);
  prefix.writeUInt32LE(crc32(headerBytes), 12);
  await mkdir(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    let position = 0;
    const write = async (bytes: Uint8Array): Promise<void> => {
      // One write call moves at most 2 GiB: write large sections in slices.
      for (let at = 0; at < bytes.length; at += 1 << 30) {
        const slice = bytes.subarray(at, Math.min(bytes.length, at + (1 << 30)));
        await handle.write(slice, 0, slice.length, position);
        position += slice.length;
      }
      const padding = align8(position) - position;
      if (padding > 0) {
        await handle.write(new Uint8Array(padding), 0, padding, position);
        position += padding;
      }
    };
    await write(prefix);
    await write(headerBytes);
    for (const section of sections) await write(section);
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Reads a cached split. Returns why it cannot be used instead when the file is missing, made from another
 * version of the source (`stale`) or damaged (`corrupt`); `hashSource` is asked for the source's sha256
 * only when its size matches but its mtime changed (a touched but maybe identical file).
 */
export async function readSplitCache(
  path: string,
  current: { size: number; mtimeMs: number },
  hashSource: () => Promise<string>,
): Promise<{ split: RankingSplit } | { miss: CacheMiss }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return { miss: 'missing' };
  }
  let buffer: ArrayBuffer;
  try {
    const { size } = await handle.stat();
    buffer = new ArrayBuffer(size);
    const bytes = new Uint8Array(buffer);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await handle.read(bytes, at, Math.min(size - at, 1 << 30), at);
      if (bytesRead === 0) return { miss: 'corrupt' };
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
  const bytes = new Uint8Array(buffer);
  if (bytes.length < PREFIX_BYTES || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== MAGIC)
    return { miss: 'corrupt' };
  const view = new DataView(buffer);
  const headerLength = view.getUint32(8, true);
  if (PREFIX_BYTES + headerLength > bytes.length) return { miss: 'corrupt' };
  const headerBytes = bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength);
  if (crc32(headerBytes) !== view.getUint32(12, true)) return { miss: 'corrupt' };
  let header: CacheHeader;
  try {
    header = JSON.parse(Buffer.from(headerBytes).toString('utf8')) as CacheHeader;
  } catch {
    return { miss: 'corrupt' };
  }
  if (header.format !== FORMAT_VERSION) return { miss: 'stale' };
  if (header.source.size !== current.size) return { miss: 'stale' };
  if (header.source.mtimeMs !== current.mtimeMs && (await hashSource()) !== header.source.sha256)
    return { miss: 'stale' };

  const { queries, featureCount, documents } = header;
  const k = header.taskNames.length;
  const lengths = [(queries + 1) * 4, featureCount * 4, documents * featureCount * 4, k * documents * 4];
  let at = align8(PREFIX_BYTES + headerLength);
  const starts: number[] = [];
  for (const length of lengths) {
    starts.push(at);
    at = align8(at + length);
  }
  if (at !== bytes.length) return { miss: 'corrupt' };
  let crc = 0;
  lengths.forEach((length, i) => {
    crc = crc32(bytes.subarray(starts[i] as number, (starts[i] as number) + length), crc);
  });
  if (crc !== header.sectionsCrc32) return { miss: 'corrupt' };
  const [offsetsAt, idsAt, featuresAt, labelsAt] = starts as [number, number, number, number];
  return {
    split: {
      source: header.sourcePath,
      featureCount,
      fileFeatureCount: header.fileFeatureCount,
      featureIds: new Int32Array(buffer, idsAt, featureCount),
      taskNames: header.taskNames,
      queryIds: header.queryIds,
      queryOffsets: new Int32Array(buffer, offsetsAt, queries + 1),
      features: new Float32Array(buffer, featuresAt, documents * featureCount),
      labels: new Float32Array(buffer, labelsAt, k * documents),
    },
  };
}
