import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@mtl2r/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readSvmlight } from './read-svmlight.js';
import { writeSynthMslr } from './synth-mslr.js';

const dir = mkdtempSync(join(tmpdir(), 'mtl2r-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('writeSynthMslr', () => {
  it('is deterministic: same options, same bytes; another seed, other bytes', async () => {
    const hash = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
    await writeSynthMslr(join(dir, 'a.txt'), { queries: 5, seed: 7 });
    await writeSynthMslr(join(dir, 'b.txt'), { queries: 5, seed: 7 });
    await writeSynthMslr(join(dir, 'c.txt'), { queries: 5, seed: 8 });
    expect(hash(join(dir, 'a.txt'))).toBe(hash(join(dir, 'b.txt')));
    expect(hash(join(dir, 'a.txt'))).not.toBe(hash(join(dir, 'c.txt')));
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes MSLR-shaped data: 136 features, grades 0..4, heavy-tailed clicks and dwell, one conflicting auxiliary label', async () => {
    const file = join(dir, 'mslr.txt.gz');
    const result = await writeSynthMslr(file, { queries: 60, seed: 3, meanDocs: 40 });
    const { table } = await readSvmlight(file, { featureCount: 136, maxLabel: 4 });
    expect(table.queryIds.length).toBe(60);
    expect(table.labels.length).toBe(result.documents);
    const n = result.documents;
    const column = (id: number): Float32Array =>
      Float32Array.from({ length: n }, (_, row) => table.features[row * 136 + id - 1] as number);
    const grades = new Set(table.labels);
    expect([...grades].sort()).toEqual([0, 1, 2, 3, 4]);
    const zeroShare = table.labels.filter((label) => label === 0).length / n;
    expect(zeroShare).toBeGreaterThan(0.4);
    expect(zeroShare).toBeLessThan(0.65);
    // Heavy tails: the maximum is far above the median for clicks and dwell time.
    for (const id of [134, 136]) {
      const sorted = column(id).sort();
      expect(sorted[n - 1]).toBeGreaterThan(20 * Math.max(1, sorted[Math.floor(n / 2)] as number));
    }
    expect(pearson(table.labels, column(132))).toBeGreaterThan(0.3);
    expect(pearson(table.labels, column(134))).toBeGreaterThan(0.05);
    expect(pearson(table.labels, column(133))).toBeLessThan(-0.2);
  });

  it('leaves about 3% of queries without a relevant document, as MSLR has', async () => {
    const file = join(dir, 'norel.txt');
    await writeSynthMslr(file, { queries: 500, seed: 11, meanDocs: 8, minDocs: 5 });
    const { table } = await readSvmlight(file);
    let without = 0;
    for (let q = 0; q < 500; q++) {
      const labels = table.labels.subarray(table.queryOffsets[q], table.queryOffsets[q + 1]);
      if (labels.every((label) => label === 0)) without++;
    }
    expect(without / 500).toBeGreaterThan(0.01);
    expect(without / 500).toBeLessThan(0.07);
  });

  it('refuses bad options', async () => {
    await expect(writeSynthMslr(join(dir, 'x.txt'), { queries: 0 })).rejects.toThrow(ConfigError);
    await expect(writeSynthMslr(join(dir, 'x.txt'), { queries: 2, minDocs: 5, maxDocs: 3 })).rejects.toThrow(
      /expected integers 1 <= minDocs <= maxDocs, got 5 and 3/,
    );
  });
});
