/**
 * Cost of one training step by gradient space, K = 3 tasks (relevance, PageRank, inlinks) on MQ2008
 * batches of 64 lists padded to 64 items (SLATE=240: allRank's layout), DeepMTL2R's model (d 128, 4 blocks), wasm backend:
 * 'none' (one forward, one backward), 'shared' (one forward, K backward passes over the kept tape),
 * 'representation' (one forward, K backward passes through the heads, one through the trunk).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { CONTRACT_VERSION, createStrategy, defineStrategy } from '@mtl2r/core';
import { loadSplit, TrainingBatcher } from '@mtl2r/data';
import { bundledDataset } from '@mtl2r/datasets';
import { createRanker } from '@mtl2r/encoder';
import { createLoss } from '@mtl2r/losses';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { computeStepGradients, disposeBatchTensors, toBatchTensors } from '../src/index.js';

await selectBackend({ backend: (process.env.MTL2R_BACKEND as 'wasm' | undefined) ?? 'wasm' });
const equalWeights = defineStrategy({
  id: 'equal',
  contractVersion: CONTRACT_VERSION,
  family: 'weighting',
  paretoFront: false,
  needs: { grads: ['none', 'shared', 'representation'] },
  options: z.strictObject({ space: z.enum(['none', 'shared', 'representation']) }),
  create: (options) => ({
    needs: { grads: options.space },
    combine: () => ({ weights: [1 / 3, 1 / 3, 1 / 3] }),
    state: () => null,
    loadState() {},
    dispose() {},
  }),
});
const split = await loadSplit(
  bundledDataset('mq2008').train,
  {
    tasks: [
      { name: 'relevance', source: 'label' },
      { name: 'pagerank', feature: 41 },
      { name: 'inlinks', feature: 42 },
    ],
    featureCount: 46,
  },
  { cacheDir: join(mkdtempSync(join(tmpdir(), 'mtl2r-step-')), 'cache') },
);
const ranker = createRanker({ featureCount: split.featureCount, taskCount: 3 }, 1);
const model = {
  ranker,
  losses: [createLoss('listNet'), createLoss('listNet'), createLoss('listNet')],
  taskNames: ['relevance', 'pagerank', 'inlinks'],
};
const batcher = new TrainingBatcher(split, {
  batchSize: 64,
  maxSlateLength: Number(process.env.SLATE ?? 64),
  seed: 1,
  padToMaxSlateLength: true,
});
const batch = batcher.nextBatch();
if (batch === null) throw new Error('no batch');
const tensors = toBatchTensors(batch);
const steps = Number(process.env.STEPS ?? 3);
console.log(
  `B ${batch.batchSize} x L ${batch.slateLength}, d 128 x 4 blocks, K 3, ${steps} timed steps after one warm-up`,
);
for (const space of ['none', 'shared', 'representation'] as const) {
  const strategy = createStrategy(equalWeights, { taskNames: model.taskNames, options: { space } });
  const times: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const started = performance.now();
    const result = await computeStepGradients(model, [{ tensors, share: 1, seed: i }], strategy, {
      step: i,
      epoch: 0,
    });
    tf.dispose(result.gradients);
    if (i > 0) times.push(performance.now() - started);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`${space.padEnd(15)} ${(mean / 1000).toFixed(2)} s per step (gradients only, no optimizer)`);
}
disposeBatchTensors(tensors);
ranker.dispose();
