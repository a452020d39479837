import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError, UserError } from '@mtl2r/core';
import { bundledDataset } from '@mtl2r/datasets';
import { describe, expect, it } from 'vitest';
import { type ReadProgress, readSvmlight } from './read-svmlight.js';

const dir = mkdtempSync(join(tmpdir(), 'mtl2r-read-'));

describe('readSvmlight on real data (bundled MQ2008, gzip)', () => {
  it('reads MQ2008 train: counts from its README, first and last rows as in the text', async () => {
    const progress: ReadProgress[] = [];
    const { table, fileBytes } = await readSvmlight(bundledDataset('mq2008').train, {
      featureCount: 46,
      maxLabel: 2,
      onProgress: (p) => progress.push(p),
    });
    expect(table.labels.length).toBe(9630);
    expect(table.queryIds.length).toBe(471);
    expect(table.featureCount).toBe(46);
    expect(table.queryIds[0]).toBe('10002');
    expect(table.queryIds[470]).toBe('15925');
    // line 1: 1:0.007477 3:1.000000 11:0.471076 46:0.007042
    expect(table.features[0]).toBe(Math.fround(0.007477));
    expect(table.features[2]).toBe(1);
    expect(table.features[10]).toBe(Math.fround(0.471076));
    expect(table.features[45]).toBe(Math.fround(0.007042));
    // last line: 1:0.791031
    expect(table.features[9629 * 46]).toBe(Math.fround(0.791031));
    const counts = [0, 0, 0];
    for (const label of table.labels) (counts[label] as number)++;
    expect(counts).toEqual([7820, 1223, 587]);
    expect(progress.at(-1)).toEqual({ bytesRead: fileBytes, totalBytes: fileBytes });
  });

  it('reads the sparse LightGBM sample: 300 ids, absent ids are 0', async () => {
    const { table } = await readSvmlight(bundledDataset('lightgbm-rank').train);
    expect(table.labels.length).toBe(3005);
    expect(table.queryIds.length).toBe(201);
    expect(table.featureCount).toBe(300);
    // first line: 10:0.89 11:0.75 ... ; ids 1..9 absent
    expect(Array.from(table.features.subarray(0, 11))).toEqual([
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      Math.fround(0.89),
      Math.fround(0.75),
    ]);
  });
});

describe('readSvmlight files', () => {
  const text = '1 qid:1 1:0.5 2:1\n0 qid:1 1:0.25 2:2\n2 qid:2 1:1 2:3\n';

  it('gives the same table for plain and gzip files', async () => {
    writeFileSync(join(dir, 'a.txt'), text);
    writeFileSync(join(dir, 'a.txt.gz'), gzipSync(text));
    const plain = await readSvmlight(join(dir, 'a.txt'));
    const gzip = await readSvmlight(join(dir, 'a.txt.gz'));
    expect(Array.from(gzip.table.features)).toEqual(Array.from(plain.table.features));
    expect(Array.from(gzip.table.labels)).toEqual([1, 0, 2]);
  });

  it('a cut gzip stream is a DataError naming the file and where it stopped', async () => {
    const lines = Array.from(
      { length: 2000 },
      (_, i) => `${i % 3} qid:${Math.floor(i / 10)} 1:${i} 2:${i * 0.5}`,
    ).join('\n');
    const whole = gzipSync(`${lines}\n`);
    const cut = join(dir, 'cut.txt.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const error = await readSvmlight(cut).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).file).toBe(cut);
    expect((error as DataError).message).toMatch(
      /the gzip stream ends early \(the file is cut\): expected a complete gzip file/,
    );
    expect((error as DataError).line).toBeGreaterThan(1);
  });

  it('a corrupt gzip body is a DataError', async () => {
    const whole = gzipSync(`${text.repeat(50)}`);
    const broken = Buffer.from(whole);
    for (let i = 12; i < broken.length - 8; i++) broken[i] = 0xff;
    const file = join(dir, 'corrupt.txt.gz');
    writeFileSync(file, broken);
    await expect(readSvmlight(file)).rejects.toThrow(/the gzip stream is corrupt/);
  });

  it('a missing file is a UserError naming it', async () => {
    await expect(readSvmlight(join(dir, 'nope.txt'))).rejects.toThrow(UserError);
    await expect(readSvmlight(join(dir, 'nope.txt'))).rejects.toThrow(
      /cannot read data file .*nope.txt: no such file/,
    );
  });

  it('a directory is a UserError saying it is not a regular file', async () => {
    await expect(readSvmlight(dir)).rejects.toThrow(/cannot read data file .*: not a regular file/);
  });

  it('computes the sha256 of the file bytes', async () => {
    const file = join(dir, 'h.txt');
    writeFileSync(file, text);
    const { sha256 } = await readSvmlight(file, { hash: true });
    const { createHash } = await import('node:crypto');
    expect(sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it('reads lines longer than one read chunk', async () => {
    const wide = Array.from({ length: 600_000 }, (_, i) => `${i + 1}:1`).join(' ');
    const file = join(dir, 'wide.txt');
    writeFileSync(file, `1 qid:1 ${wide}\n0 qid:1 600000:2\n`);
    const { table } = await readSvmlight(file);
    expect(table.featureCount).toBe(600_000);
    expect(table.features[599_999]).toBe(1);
    expect(table.features[600_000]).toBe(0);
    expect(table.features[1_199_999]).toBe(2);
  });
});
