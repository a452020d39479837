import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@mtl2r/core';
import { bundledDataset } from '@mtl2r/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import { mq2008Spec, mslrWeb30kSpec } from './data-spec.js';
import { type LoadSplitOptions, loadSplit, loadSplits } from './load-split.js';
import { writeSynthMslr } from './synth-mslr.js';

const dir = mkdtempSync(join(tmpdir(), 'mtl2r-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recorder(cacheDir: string): { options: LoadSplitOptions; events: string[] } {
  const events: string[] = [];
  return { events, options: { cacheDir, onCache: (event) => events.push(event.result) } };
}

describe('loadSplit / loadSplits', () => {
  it('MQ2008 multi-task protocol: relevance + PageRank (41) + inlinks (42), both removed from the input', async () => {
    const mq = bundledDataset('mq2008');
    const { train, vali, test, transform } = await loadSplits(mq, mq2008Spec(), { cacheDir: false });
    expect(train.featureCount).toBe(44);
    expect(Array.from(train.featureIds)).not.toContain(41);
    expect(Array.from(train.featureIds)).not.toContain(42);
    expect(train.taskNames).toEqual(['relevance', 'pagerank', 'inlinks']);
    expect(train.labels.length).toBe(3 * 9630);
    expect(vali?.queryIds.length).toBe(157);
    expect(test?.queryIds.length).toBe(156);
    // Auxiliary labels became grades 0..4 (quantile-grades:5 fitted on train).
    const pagerank = train.labels.subarray(9630, 2 * 9630);
    expect(new Set(pagerank)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(transform.labelTransforms[1]).toMatchObject({ kind: 'quantile-grades', grades: 5 });
    expect(JSON.parse(JSON.stringify(transform))).toEqual(transform);
  });

  it('refuses a task on MQ2008 feature 43, which is constant', async () => {
    const spec = {
      tasks: [
        { name: 'relevance', source: 'label' as const },
        { name: 'f43', feature: 43 },
      ],
    };
    const error = await loadSplits({ train: bundledDataset('mq2008').train }, spec, {
      cacheDir: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toMatch(
      /task 'f43' takes its labels from feature 43, which is constant \(every value is 0\)/,
    );
  });

  it('reads sparse vali/test files at the train width so the input columns match', async () => {
    const train = join(dir, 'sparse-train.txt');
    const test = join(dir, 'sparse-test.txt');
    writeFileSync(train, '1 qid:1 1:1 5:5\n0 qid:1 2:2\n');
    writeFileSync(test, '1 qid:9 3:3\n');
    const { test: loaded } = await loadSplits({ train, test }, {}, { cacheDir: false });
    expect(loaded?.fileFeatureCount).toBe(5);
    expect(Array.from(loaded?.featureIds ?? [])).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(loaded?.features ?? [])).toEqual([0, 0, 3, 0, 0]);
    writeFileSync(test, '1 qid:9 6:3\n');
    await expect(loadSplits({ train, test }, {}, { cacheDir: false })).rejects.toThrow(
      /sparse-test.txt:1:9: feature index 6 is out of range: expected 1..5/,
    );
  });

  it('caches a parsed split: the second load is a hit with identical arrays', async () => {
    const cacheDir = join(dir, 'cache-a');
    const first = recorder(cacheDir);
    const parsed = await loadSplit(bundledDataset('lightgbm-rank').train, {}, first.options);
    expect(first.events).toEqual(['missing', 'written']);
    const second = recorder(cacheDir);
    const cached = await loadSplit(bundledDataset('lightgbm-rank').train, {}, second.options);
    expect(second.events).toEqual(['hit']);
    expect(cached.featureCount).toBe(300);
    expect(cached.queryIds).toEqual(parsed.queryIds);
    expect(Array.from(cached.queryOffsets)).toEqual(Array.from(parsed.queryOffsets));
    expect(
      Buffer.from(cached.features.buffer, cached.features.byteOffset, cached.features.byteLength).equals(
        Buffer.from(parsed.features.buffer, parsed.features.byteOffset, parsed.features.byteLength),
      ),
    ).toBe(true);
    expect(Array.from(cached.labels)).toEqual(Array.from(parsed.labels));
  });

  it('rebuilds a stale cache when the source changes, and a corrupt one', async () => {
    const cacheDir = join(dir, 'cache-b');
    const file = join(dir, 'small.txt');
    writeFileSync(file, '1 qid:1 1:1 2:2\n0 qid:1 1:3 2:4\n');
    await loadSplit(file, {}, { cacheDir });
    writeFileSync(file, '1 qid:1 1:1 2:2\n0 qid:1 1:3 2:5\n'); // same size, new content
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const stale = recorder(cacheDir);
    const reloaded = await loadSplit(file, {}, stale.options);
    expect(stale.events).toEqual(['stale', 'written']);
    expect(reloaded.features[3]).toBe(5);
    const [cacheName] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, cacheName as string), 'garbage');
    const corrupt = recorder(cacheDir);
    await loadSplit(file, {}, corrupt.options);
    expect(corrupt.events).toEqual(['corrupt', 'written']);
  });

  it('regroup: true in the spec accepts a reappearing qid; the default names both lines', async () => {
    const file = join(dir, 'interleaved.txt');
    writeFileSync(file, '1 qid:1 1:1\n0 qid:2 1:2\n2 qid:1 1:3\n');
    await expect(loadSplit(file, {}, { cacheDir: false })).rejects.toThrow(
      /interleaved.txt:3:7: qid 1 reappears after qid 2; it was first seen at line 1/,
    );
    const split = await loadSplit(file, { regroup: true }, { cacheDir: false });
    expect(split.queryIds).toEqual(['1', '2']);
    expect(Array.from(split.labels)).toEqual([1, 2, 0]);
    expect(Array.from(split.features)).toEqual([1, 3, 2]);
  });

  it('reports progress up to the whole file, from the parser and from the cache', async () => {
    const cacheDir = join(dir, 'cache-progress');
    const file = bundledDataset('mq2008').test;
    for (const expected of ['parse', 'cache']) {
      const seen: number[] = [];
      let total = 0;
      await loadSplit(
        file,
        {},
        {
          cacheDir,
          onProgress: ({ bytesRead, totalBytes }) => {
            seen.push(bytesRead);
            total = totalBytes;
          },
        },
      );
      expect(seen.at(-1), expected).toBe(total);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    }
  });

  it('bad data leaves no cache file behind', async () => {
    const cacheDir = join(dir, 'cache-c');
    const file = join(dir, 'bad.txt');
    writeFileSync(file, '1 qid:1 1:1\n1 qid:1 1:x\n');
    await expect(loadSplit(file, {}, { cacheDir })).rejects.toThrow(
      /bad.txt:2:11: feature 1: expected a finite number, got 'x'/,
    );
    expect(() => readdirSync(cacheDir)).toThrow();
  });

  it('a cache directory that cannot be written does not stop loading', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file where the cache directory should be');
    const events = recorder(join(blocker, 'cache'));
    const split = await loadSplit(bundledDataset('lightgbm-rank').test, {}, events.options);
    expect(split.queryIds.length).toBe(50);
    expect(events.events).toEqual(['missing', 'write-failed']);
  });

  it('MSLR protocol on generated MSLR-shaped data: 132 input features, 5 tasks, cache round trip', async () => {
    const file = join(dir, 'synth.txt.gz');
    const written = await writeSynthMslr(file, { queries: 12, seed: 5, meanDocs: 30 });
    const cacheDir = join(dir, 'cache-d');
    const parsed = await loadSplit(file, mslrWeb30kSpec(), { cacheDir });
    expect(parsed.featureCount).toBe(132);
    expect(parsed.taskNames).toEqual(['relevance', 'quality', 'quality2', 'click', 'dwell']);
    expect(parsed.labels.length).toBe(5 * written.documents);
    const cached = await loadSplit(file, mslrWeb30kSpec(), { cacheDir });
    expect(Array.from(cached.features)).toEqual(Array.from(parsed.features));
    expect(Array.from(cached.labels)).toEqual(Array.from(parsed.labels));
  });
});
