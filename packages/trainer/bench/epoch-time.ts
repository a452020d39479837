/**
 * Epoch time on the bundled MQ2008 train split (471 queries), DeepMTL2R's default model (d 128, 4 blocks,
 * 4 heads, FFN 512, dropout 0.3), batch 64, single task, on the wasm backend: lists batched by similar
 * length and padded to the batch's longest list, against the same model with every slate padded to 240
 * as allRank does (allRank: about 19 s per epoch on this machine). Run: pnpm bench (in packages/trainer).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { Registry } from '@mtl2r/core';
import { bundledDataset } from '@mtl2r/datasets';
import ls from '@mtl2r/strategy-ls';
import { parseTrainConfig, type TrainingEvent, train } from '../src/index.js';

const backend = await selectBackend({ backend: (process.env.MTL2R_BACKEND as 'wasm' | undefined) ?? 'wasm' });
const epochs = Number(process.env.EPOCHS ?? 2);

async function timeEpochs(label: string, training: Record<string, unknown>): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mtl2r-bench-'));
  const mq2008 = bundledDataset('mq2008');
  // Train split only: the timing is the training epoch (and its checkpoint writes), no validation.
  const config = parseTrainConfig({
    seed: 1,
    data: { train: mq2008.train, cacheDir: join(dir, 'cache'), spec: { featureCount: 46, maxLabel: 2 } },
    losses: [{ name: 'listNet' }],
    strategy: { id: 'ls' },
    training: { epochs, batchSize: 64, ...training },
  });
  const times: number[] = [];
  let epochStart = 0;
  const onEvent = (event: TrainingEvent) => {
    if (event.type === 'start') epochStart = performance.now();
    if (event.type === 'epoch') {
      times.push((performance.now() - epochStart) / 1000);
      epochStart = performance.now();
    }
  };
  await train({ config, registry: new Registry().use(ls), runDir: join(dir, 'run'), onEvent });
  rmSync(dir, { recursive: true, force: true });
  console.log(`${label.padEnd(34)} ${times.map((t) => `${t.toFixed(1)} s`).join(', ')}`);
  return times;
}

console.log(`backend ${backend.name}; MQ2008 train 471 queries, d128 x 4 blocks, batch 64, ${epochs} epochs`);
const bucketed = await timeEpochs('bucketed, padded per batch', {
  bucketByLength: true,
  padToMaxSlateLength: false,
});
const padded = await timeEpochs('padded to 240 (allRank layout)', {
  bucketByLength: false,
  padToMaxSlateLength: true,
});
const best = (xs: number[]) => Math.min(...xs);
console.log(
  `speed-up: ${(best(padded) / best(bucketed)).toFixed(1)}x (allRank, PyTorch, same machine: about 19 s per epoch)`,
);
