/*
 * For this package's tests (not exported): a tiny two-task run on bundled MQ2008 trained with the real
 * trainer, and its files as a folder picked in a page would give them.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { Registry, type StrategyPlugin } from '@mtl2r/core';
import { parseTrainConfig, train, writeBundledSubset } from '@mtl2r/trainer';
import type { PickedFile } from './index.js';

export interface TestRun {
  dir: string;
  runDir: string;
  testFile: string;
}

/** Trains `plugin` (per-task heads; `conditioning` for a preference-conditioned model) for one epoch. */
export async function trainTestRun(
  plugin: StrategyPlugin<unknown>,
  queries: { train: number; vali: number; test: number },
  model: { conditioning?: 'input' } = {},
): Promise<TestRun> {
  await selectBackend({ backend: 'cpu' });
  const dir = mkdtempSync(join(tmpdir(), `mtl2r-browser-${plugin.id}-`));
  const files = writeBundledSubset('mq2008', dir, queries);
  const runDir = join(dir, 'run');
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
    model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16, dropout: 0, perTaskHeads: true, ...model },
    losses: [{ name: 'listNet' }, { name: 'listNet' }],
    strategy: { id: plugin.id },
    training: { epochs: 1, batchSize: 8 },
  });
  await train({ config, registry: new Registry().use(plugin), runDir });
  return { dir, runDir, testFile: files.test as string };
}

/** Every file under `root` as picked in a page: paths under `run/`, bytes read. */
export function pickFolder(root: string): PickedFile[] {
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
