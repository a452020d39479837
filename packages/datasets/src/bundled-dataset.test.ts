import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { type BundledDatasetName, bundledDataset, bundledDatasetNames } from './bundled-dataset.js';

// Hashes of the uncompressed text as recorded in data/README.md: the bytes are the third-party originals.
const SHA256: Record<string, string> = {
  'mq2008/train': '9b98c14e9536f2a18c59670714c99defc63e74359c56cba219a61db248f27123',
  'mq2008/vali': 'a239850bc6fe960ad08c2b7b0d99db90fe976dd93a15358e98036591b4e7a2ac',
  'mq2008/test': 'c68c52feb1ecae7f17b64c8e2fda2098302681bbd4ea5fad8c73a1d32a1cf2b2',
  'lightgbm-rank/train': '4b3594bdeb522855b4ebc961bec1d26a1b5f5e098020702a13d59f14df80d7b1',
  'lightgbm-rank/test': '0f8bf67da9764307bee5923d4563b3e016439085863d7fe625431a05fab0d068',
};
const LINES: Record<string, number> = {
  'mq2008/train': 9630,
  'mq2008/vali': 2707,
  'mq2008/test': 2874,
  'lightgbm-rank/train': 3005,
  'lightgbm-rank/test': 768,
};

function text(file: string): Buffer {
  return gunzipSync(readFileSync(file));
}

describe('bundledDataset', () => {
  it('lists both datasets', () => {
    expect(bundledDatasetNames).toEqual(['mq2008', 'lightgbm-rank']);
  });

  for (const name of ['mq2008', 'lightgbm-rank'] as BundledDatasetName[]) {
    it(`${name}: absolute paths to gzip files holding the original bytes`, () => {
      const dataset = bundledDataset(name);
      for (const split of ['train', 'test'] as const) {
        const file = dataset[split];
        expect(file.startsWith('/')).toBe(true);
        const bytes = text(file);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(SHA256[`${name}/${split}`]);
        expect(
          bytes
            .toString('latin1')
            .split('\n')
            .filter((line) => line !== '').length,
        ).toBe(LINES[`${name}/${split}`]);
      }
      expect(readFileSync(dataset.readme, 'utf8')).toMatch(/Licence/);
    });
  }

  it('mq2008 has its own validation split; lightgbm-rank reuses test', () => {
    const mq = bundledDataset('mq2008');
    expect(mq.vali).not.toBe(mq.test);
    expect(createHash('sha256').update(text(mq.vali)).digest('hex')).toBe(SHA256['mq2008/vali']);
    expect(mq.featureCount).toBe(46);
    expect(mq.labels).toEqual([0, 2]);
    const lgb = bundledDataset('lightgbm-rank');
    expect(lgb.vali).toBe(lgb.test);
    expect(lgb.featureCount).toBe(300);
  });

  it('mq2008 lines have 46 features and labels in 0..2 (what the descriptor promises)', () => {
    const lines = text(bundledDataset('mq2008').train)
      .toString('latin1')
      .split('\n')
      .filter((line) => line !== '');
    const labels = new Set(lines.map((line) => line.split(' ')[0]));
    expect([...labels].sort()).toEqual(['0', '1', '2']);
    const widths = new Set(lines.map((line) => (line.split('#')[0] ?? '').trim().split(' ').length - 2));
    expect([...widths]).toEqual([46]);
  });

  it('refuses an unknown name with the list of known ones', () => {
    expect(() => bundledDataset('mslr' as BundledDatasetName)).toThrow(UserError);
    expect(() => bundledDataset('mslr' as BundledDatasetName)).toThrow(
      /unknown bundled dataset 'mslr': expected one of mq2008, lightgbm-rank/,
    );
  });
});
