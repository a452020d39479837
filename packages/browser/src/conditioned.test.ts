import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { Registry } from '@mtl2r/core';
import pfl from '@mtl2r/strategy-pfl';
import { loadTrainedModel, parseTrainConfig, predictFile, train, writeBundledSubset } from '@mtl2r/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBrowserModel, type PickedFile, readQueries, scoreQueries, selectModelFiles } from './index.js';

let dir: string;
let runDir: string;
let testFile: string;

function pick(root: string): PickedFile[] {
  const out: PickedFile[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push({ path: `run/${relative(root, full)}`, bytes: new Uint8Array(readFileSync(full)) });
    }
  };
  walk(root);
  return out;
}

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
  dir = mkdtempSync(join(tmpdir(), 'mtl2r-browser-pfl-'));
  const files = writeBundledSubset('mq2008', dir, { train: 16, vali: 4, test: 6 });
  testFile = files.test as string;
  runDir = join(dir, 'run');
  const config = parseTrainConfig({
    seed: 5,
    backend: 'cpu',
    data: {
      train: files.train,
      vali: files.vali,
      cacheDir: false,
      spec: {
        tasks: [
          { name: 'relevance', source: 'label' },
          { name: 'pagerank', feature: 41 },
        ],
        featureCount: 46,
        maxLabel: 2,
      },
    },
    model: {
      modelDim: 8,
      blocks: 1,
      heads: 2,
      ffnDim: 16,
      dropout: 0,
      perTaskHeads: true,
      conditioning: 'input',
    },
    losses: [{ name: 'listNet' }, { name: 'listNet' }],
    strategy: { id: 'pfl' },
    training: { epochs: 1, batchSize: 8 },
  });
  await train({ config, registry: new Registry().use(pfl), runDir });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('@mtl2r/browser with a preference-conditioned model', () => {
  it('re-scores at the slider preference exactly as mtl2r predict --preference does', async () => {
    const model = await loadBrowserModel(selectModelFiles(pick(runDir)));
    const node = await loadTrainedModel(runDir);
    try {
      const split = readQueries(model, readFileSync(testFile, 'utf8'), 'test.txt');
      const atA = scoreQueries(model, split, { preference: [0.2, 0.8] });
      const reference = await predictFile(node, testFile, undefined, { preference: [0.2, 0.8] });
      atA.forEach((query, q) => {
        const start = reference.split.queryOffsets[q] as number;
        query.scores.forEach((row, d) => {
          row.forEach((value, h) => {
            expect(
              Math.abs(value - ((reference.scores[h] as Float32Array)[start + d] as number)),
            ).toBeLessThan(1e-6);
          });
        });
      });
      const atB = scoreQueries(model, split, { preference: [0.9, 0.1] });
      expect(atB[0]?.scores).not.toEqual(atA[0]?.scores);
      expect(() => scoreQueries(model, split)).toThrow(/conditioned on a preference: give one/);
    } finally {
      model.dispose();
      node.dispose();
    }
  });
});
