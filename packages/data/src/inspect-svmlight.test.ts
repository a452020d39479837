import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledDataset } from '@mtl2r/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import { histogram, inspectSvmlight } from './inspect-svmlight.js';

const dir = mkdtempSync(join(tmpdir(), 'mtl2r-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inspectSvmlight', () => {
  it('summarises MQ2008 train (.gz) as its README states', async () => {
    const report = await inspectSvmlight(bundledDataset('mq2008').train, { labelFeatures: [41] });
    expect(report).toMatchObject({
      queries: 471,
      documents: 9630,
      featureCount: 46,
      queriesWithoutRelevant: 132,
    });
    expect(report.listLength.max).toBe(121);
    expect(report.constantFeatures).toContain(43);
    expect(report.histograms[0]).toEqual({
      name: 'label',
      histogram: {
        kind: 'values',
        bins: [
          { value: 0, count: 7820 },
          { value: 1, count: 1223 },
          { value: 2, count: 587 },
        ],
      },
    });
    expect(report.histograms[1]?.name).toBe('feature 41');
  });

  it('list-length percentiles by nearest rank', async () => {
    // 10 queries with 1..10 documents
    const lines: string[] = [];
    for (let q = 1; q <= 10; q++)
      for (let d = 0; d < q; d++) lines.push(`${d === 0 ? 1 : 0} qid:${q} 1:${d} 2:5`);
    const file = join(dir, 'lengths.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const report = await inspectSvmlight(file);
    expect(report.listLength).toEqual({ min: 1, p50: 5, p90: 9, p99: 10, max: 10, mean: 5.5 });
    expect(report.constantFeatures).toEqual([2]);
    expect(report.queriesWithoutRelevant).toBe(0);
  });

  it('refuses a label feature the file does not have', async () => {
    await expect(inspectSvmlight(bundledDataset('mq2008').vali, { labelFeatures: [47] })).rejects.toThrow(
      /feature 47 does not exist: .* has features 1..46/,
    );
  });
});

describe('histogram', () => {
  it('counts exact values when there are at most 20, else ten equal-count bins that keep ties together', () => {
    expect(histogram(Float32Array.from([2, 0, 2, 1]))).toEqual({
      kind: 'values',
      bins: [
        { value: 0, count: 1 },
        { value: 1, count: 1 },
        { value: 2, count: 2 },
      ],
    });
    const many = histogram(Float32Array.from({ length: 100 }, (_, i) => i));
    expect(many.kind).toBe('deciles');
    expect(many.bins[0]).toEqual({ from: 0, to: 9, count: 10 });
    expect(many.bins.length).toBe(10);
    const tied = histogram(
      Float32Array.from([...new Array(50).fill(0), ...Array.from({ length: 50 }, (_, i) => i + 1)]),
    );
    expect(tied.bins[0]).toEqual({ from: 0, to: 0, count: 50 });
  });
});
