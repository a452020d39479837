import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBundledSubset } from './bundled-subset.js';

describe('writeBundledSubset', () => {
  it('keeps whole queries: the first N of each split, every document of each', () => {
    const files = writeBundledSubset('mq2008', mkdtempSync(join(tmpdir(), 'mtl2r-subset-')), {
      train: 3,
      vali: 2,
      test: 1,
    });
    const qids = (file: string) =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => /qid:(\S+)/.exec(line)?.[1]);
    const train = qids(files.train);
    expect(new Set(train).size).toBe(3);
    expect(new Set(qids(files.vali)).size).toBe(2);
    expect(new Set(qids(files.test)).size).toBe(1);
    // MQ2008 train starts with query 10002 and its 8 documents.
    expect(train[0]).toBe('10002');
    expect(train.filter((q) => q === '10002')).toHaveLength(8);
    expect(readFileSync(files.train, 'utf8').split('\n')[0]).toMatch(/^\d qid:10002 1:\S+ .* 46:\S+/);
  });
});
