import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BundledDatasetName } from '@mtl2r/datasets';
import { requireBundledDataset } from './optional-datasets.js';

export interface SubsetFiles {
  train: string;
  vali: string;
  test: string;
}

/**
 * Writes the first `queries` queries of each split of a bundled dataset as plain LETOR files in `dir`
 * (train.txt, vali.txt, test.txt): real data small enough for tests, examples and smoke runs.
 */
export function writeBundledSubset(
  name: BundledDatasetName,
  dir: string,
  queries: { train: number; vali: number; test: number } = { train: 32, vali: 16, test: 16 },
): SubsetFiles {
  mkdirSync(dir, { recursive: true });
  const source = requireBundledDataset(name);
  const out: SubsetFiles = {
    train: join(dir, 'train.txt'),
    vali: join(dir, 'vali.txt'),
    test: join(dir, 'test.txt'),
  };
  for (const split of ['train', 'vali', 'test'] as const) {
    const kept: string[] = [];
    const seen = new Set<string>();
    for (const line of gunzipSync(readFileSync(source[split])).toString('utf8').split('\n')) {
      const qid = /\bqid:(\S+)/.exec(line)?.[1];
      if (qid === undefined) continue;
      if (!seen.has(qid)) {
        if (seen.size === queries[split]) break;
        seen.add(qid);
      }
      kept.push(line);
    }
    writeFileSync(out[split], `${kept.join('\n')}\n`);
  }
  return out;
}
