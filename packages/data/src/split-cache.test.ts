import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDataSpec } from './data-spec.js';
import type { RankingSplit } from './ranking-split.js';
import { cacheFilePath, readSplitCache, specCacheKey, writeSplitCache } from './split-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'mtl2r-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = parseDataSpec({
  tasks: [
    { name: 'relevance', source: 'label' },
    { name: 'q', feature: 3 },
  ],
});

function split(): RankingSplit {
  return {
    source: '/data/train.txt',
    featureCount: 2,
    fileFeatureCount: 3,
    featureIds: Int32Array.from([1, 2]),
    taskNames: ['relevance', 'q'],
    queryIds: ['7', 'eight'],
    queryOffsets: Int32Array.from([0, 2, 3]),
    features: Float32Array.from([0.5, -1, 2, 3.25, 1e-7, 9]),
    labels: Float32Array.from([1, 0, 2, 10, 20, 30]),
  };
}
const source = { path: '/data/train.txt', size: 123, mtimeMs: 1000, sha256: 'abc' };
const noHash = async (): Promise<string> => {
  throw new Error('the source should not be hashed when size and mtime match');
};

describe('split cache', () => {
  it('round-trips a split exactly, and leaves no temporary file', async () => {
    const path = join(dir, 'a.mtl2r');
    await writeSplitCache(path, split(), source, spec);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const result = await readSplitCache(path, { size: 123, mtimeMs: 1000 }, noHash);
    expect('split' in result).toBe(true);
    if (!('split' in result)) return;
    const original = split();
    expect(result.split.source).toBe(original.source);
    expect(result.split.featureCount).toBe(2);
    expect(result.split.fileFeatureCount).toBe(3);
    expect(result.split.queryIds).toEqual(original.queryIds);
    expect(result.split.taskNames).toEqual(original.taskNames);
    expect(Array.from(result.split.featureIds)).toEqual([1, 2]);
    expect(Array.from(result.split.queryOffsets)).toEqual([0, 2, 3]);
    expect(Array.from(result.split.features)).toEqual(Array.from(original.features));
    expect(Array.from(result.split.labels)).toEqual(Array.from(original.labels));
  });

  it('writes a split whose arrays are views into larger buffers', async () => {
    const s = split();
    const big = new Float32Array(100);
    big.set(s.features, 10);
    s.features = big.subarray(10, 16);
    const path = join(dir, 'view.mtl2r');
    await writeSplitCache(path, s, source, spec);
    const result = await readSplitCache(path, { size: 123, mtimeMs: 1000 }, noHash);
    expect('split' in result && Array.from(result.split.features)).toEqual(Array.from(split().features));
  });

  it('reports missing, stale (size changed, or touched with other content) and corrupt files', async () => {
    expect(await readSplitCache(join(dir, 'none.mtl2r'), { size: 1, mtimeMs: 1 }, noHash)).toEqual({
      miss: 'missing',
    });
    const path = join(dir, 'b.mtl2r');
    await writeSplitCache(path, split(), source, spec);
    expect(await readSplitCache(path, { size: 124, mtimeMs: 1000 }, noHash)).toEqual({ miss: 'stale' });
    expect(await readSplitCache(path, { size: 123, mtimeMs: 2000 }, async () => 'other')).toEqual({
      miss: 'stale',
    });
    expect('split' in (await readSplitCache(path, { size: 123, mtimeMs: 2000 }, async () => 'abc'))).toBe(
      true,
    );

    const bytes = readFileSync(path);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] as number) ^ 0x40;
    writeFileSync(path, flipped);
    expect(await readSplitCache(path, { size: 123, mtimeMs: 1000 }, noHash)).toEqual({ miss: 'corrupt' });
    writeFileSync(path, bytes.subarray(0, bytes.length - 8));
    expect(await readSplitCache(path, { size: 123, mtimeMs: 1000 }, noHash)).toEqual({ miss: 'corrupt' });
    const header = Buffer.from(bytes);
    header[20] = (header[20] as number) ^ 1;
    writeFileSync(path, header);
    expect(await readSplitCache(path, { size: 123, mtimeMs: 1000 }, noHash)).toEqual({ miss: 'corrupt' });
    writeFileSync(path, 'not a cache');
    expect(await readSplitCache(path, { size: 123, mtimeMs: 1000 }, noHash)).toEqual({ miss: 'corrupt' });
  });

  it('keys the file name on the source path and the parse-relevant spec only', () => {
    const base = cacheFilePath(dir, '/data/train.txt', spec);
    expect(cacheFilePath(dir, '/data/train.txt', parseDataSpec({ ...spec, normalize: 'zscore' }))).toBe(base);
    expect(cacheFilePath(dir, '/other/train.txt', spec)).not.toBe(base);
    expect(specCacheKey(parseDataSpec({ ...spec, dropFeatures: [5] }))).not.toBe(specCacheKey(spec));
    expect(specCacheKey(parseDataSpec({ ...spec, maxLabel: 4 }))).not.toBe(specCacheKey(spec));
    expect(base.startsWith(join(dir, 'train.txt.'))).toBe(true);
  });
});
