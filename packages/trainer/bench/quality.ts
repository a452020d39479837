/**
 * Quality bar: single-task ListNet (mtl2r's transformer, DeepMTL2R-sized) on the bundled MQ2008 Fold1
 * against XGBoost rank:ndcg (Debian's python3-xgboost) trained on the same split; both test NDCG@10
 * computed by @mtl2r/metrics (queries without a relevant document count as 1). Run: pnpm bench.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '@mtl2r/backend';
import { Registry } from '@mtl2r/core';
import { loadSplit, taskLabels } from '@mtl2r/data';
import { bundledDataset } from '@mtl2r/datasets';
import { evaluateRanking } from '@mtl2r/metrics';
import ls from '@mtl2r/strategy-ls';
import { parseTrainConfig, progressReporter, train } from '../src/index.js';

await selectBackend({ backend: 'wasm' });
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mtl2r-quality-'));
const mq2008 = bundledDataset('mq2008');

const config = parseTrainConfig({
  seed: Number(process.env.SEED ?? 7),
  data: { dataset: 'mq2008', cacheDir: join(dir, 'cache') },
  model: { modelDim: 128, blocks: 4, heads: 4, ffnDim: 512, dropout: 0.3 },
  losses: [{ name: 'listNet' }],
  strategy: { id: 'ls' },
  optimizer: { name: 'adam', learningRate: 0.001 },
  training: { epochs: Number(process.env.EPOCHS ?? 40), batchSize: 64 },
  evaluation: { metrics: ['ndcg@5', 'ndcg@10'] },
  earlyStopping: { metric: 'ndcg@10', patience: 10 },
});
const started = performance.now();
const result = await train({
  config,
  registry: new Registry().use(ls),
  runDir: join(dir, 'run'),
  onEvent: progressReporter({ write: (t) => process.stderr.write(t), isTty: false, linesPerEpoch: 1 }),
});
const ours = result.test?.[0]?.metrics['ndcg@10'] ?? Number.NaN;
const seconds = (performance.now() - started) / 1000;

const scoresFile = join(dir, 'xgboost-test-scores.txt');
const python = spawnSync(
  '/usr/bin/python3',
  [join(here, 'xgboost_mq2008.py'), mq2008.train, mq2008.vali, mq2008.test, scoresFile],
  { encoding: 'utf8' },
);
if (python.status !== 0) {
  console.error(python.stderr);
  throw new Error('xgboost run failed: apt-get install python3-xgboost');
}
const test = await loadSplit(mq2008.test, { featureCount: 46, maxLabel: 2 }, { cacheDir: false });
const xgbScores = readFileSync(scoresFile, 'utf8').trim().split('\n').map(Number);
const [xgb] = evaluateRanking(xgbScores, taskLabels(test, 0), test.queryOffsets, ['ndcg@10']);

console.log(python.stdout.trim());
console.log(
  `mtl2r ListNet (d128 x 4 blocks, best of ${result.epochs} epochs by vali ndcg@10, ${seconds.toFixed(0)} s): test NDCG@10 ${ours.toFixed(4)}`,
);
console.log(
  `XGBoost rank:ndcg (eta 0.1, depth 6, early stopping on vali):             test NDCG@10 ${(xgb?.mean ?? Number.NaN).toFixed(4)}`,
);
console.log(`difference ${(ours - (xgb?.mean ?? Number.NaN)).toFixed(4)} (bar: >= -0.01)`);
