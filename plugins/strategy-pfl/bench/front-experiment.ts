/**
 * The issue-18 experiment: the front of ONE preference-conditioned model (pfl) against the fronts of LS,
 * EPO and WC swept over the same preference rows, on bundled MQ2008, same seed, epochs and model.
 * Prints hypervolume in (1 - NDCG@10) space (reference 1, the sweep's), points on the front and total
 * training time per method. Nothing is asserted; the numbers go in the README.
 *
 *   pnpm --filter @mtl2r/strategy-pfl experiment                       # full bundled fold, 3 epochs
 *   QUERIES=64 EPOCHS=2 TASKS=2 pnpm --filter @mtl2r/strategy-pfl experiment   # a short run
 *
 * Environment: TASKS (2: relevance + PageRank, DeepMTL2R's ten rows; 3: + inlinks, the 10-row lattice lifted by 0.001),
 * EPOCHS (3), QUERIES (train queries of a subset; unset = the whole bundled fold, vali/test a quarter each),
 * SEED (42), METHODS (pfl,ls,epo,wc), CONDITIONING (input, or film: per-block scale and shift),
 * PFL_ALPHA and PFL_LAMBDA (the pfl options; defaults 1.2 and 2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { Registry } from '@mtl2r/core';
import { bundledDataset } from '@mtl2r/datasets';
import { ndcgHypervolume, nonDominatedIndices } from '@mtl2r/metrics';
import epo from '@mtl2r/strategy-epo';
import ls from '@mtl2r/strategy-ls';
import wc from '@mtl2r/strategy-wc';
import { deepMtl2rRows, simplexLatticeRows } from '@mtl2r/sweep';
import {
  evaluateFile,
  loadTrainedModel,
  parseTrainConfig,
  type TrainConfigInput,
  train,
  writeBundledSubset,
} from '@mtl2r/trainer';
import pfl from '../src/index.js';

const taskCount = Number(process.env.TASKS ?? 2);
const epochs = Number(process.env.EPOCHS ?? 3);
const seed = Number(process.env.SEED ?? 42);
const queries = process.env.QUERIES === undefined ? undefined : Number(process.env.QUERIES);
const methods = (process.env.METHODS ?? 'pfl,ls,epo,wc').split(',');
const conditioning = process.env.CONDITIONING === 'film' ? 'film' : 'input';
const pflOptions = {
  ...(process.env.PFL_ALPHA === undefined ? {} : { alpha: Number(process.env.PFL_ALPHA) }),
  ...(process.env.PFL_LAMBDA === undefined ? {} : { lambda: Number(process.env.PFL_LAMBDA) }),
};
const metric = 'ndcg@10';

const tasks = [
  { name: 'relevance', source: 'label' as const },
  { name: 'pagerank', feature: 41, transform: 'quantile-grades:5' },
  { name: 'inlinks', feature: 42, transform: 'quantile-grades:5' },
].slice(0, taskCount);
// Three tasks: the 10-row lattice, each entry lifted by 0.001 as DeepMTL2R's rows are (EPO and WC refuse a 0).
const rows =
  taskCount === 2
    ? deepMtl2rRows()
    : simplexLatticeRows(taskCount, 3).map((row) => row.map((r) => (r + 0.001) / (1 + 0.001 * taskCount)));
const registry = new Registry().use(pfl).use(ls).use(epo).use(wc);
const dir = mkdtempSync(join(tmpdir(), 'mtl2r-pfl-front-'));

function config(
  strategy: TrainConfigInput['strategy'],
  conditioned: boolean,
  files: Files,
): TrainConfigInput {
  return {
    seed,
    backend: 'auto',
    data: { ...files, dataset: 'mq2008', cacheDir: false, spec: { tasks, normalize: 'none' } },
    model: {
      modelDim: 32,
      blocks: 1,
      heads: 2,
      ffnDim: 64,
      dropout: 0.1,
      perTaskHeads: true,
      ...(conditioned ? { conditioning } : {}),
    },
    losses: tasks.map(() => ({ name: 'listNet' })),
    strategy,
    optimizer: { name: 'adam', learningRate: 0.002 },
    training: { epochs, batchSize: 32 },
    evaluation: { metrics: [metric] },
    earlyStopping: { metric, patience: 1000 }, // every run trains all its epochs
  };
}

type Files = { train?: string; vali?: string; test?: string };

/** Trains one run; returns its seconds and the run directory. */
async function timedTrain(
  input: TrainConfigInput,
  name: string,
): Promise<{ seconds: number; runDir: string }> {
  const runDir = join(dir, name);
  const start = performance.now();
  await train({ config: parseTrainConfig(input), registry, runDir });
  return { seconds: (performance.now() - start) / 1000, runDir };
}

/** Test NDCG@10 per task of a run's last model, at `preference` for a conditioned one. */
async function testPoint(runDir: string, testFile: string, preference?: number[]): Promise<number[]> {
  const model = await loadTrainedModel(runDir, 'last');
  try {
    const results = await evaluateFile(
      model,
      testFile,
      [metric],
      64,
      preference === undefined ? {} : { preference },
    );
    return results.map((task) => task.metrics[metric] as number);
  } finally {
    model.dispose();
  }
}

async function main(): Promise<void> {
  await selectBackend({ backend: 'auto' });
  const files: Files =
    queries === undefined
      ? {}
      : writeBundledSubset('mq2008', join(dir, 'data'), {
          train: queries,
          vali: Math.max(1, Math.round(queries / 4)),
          test: Math.max(1, Math.round(queries / 4)),
        });
  const testFile = files.test ?? bundledDataset('mq2008').test;
  // One untimed run first, so no method pays for backend start-up and JIT warm-up.
  await timedTrain(config({ id: 'ls', preference: rows[0] as number[] }, false, files), 'warm-up');
  const table: { method: string; runs: number; hv: number; front: number; seconds: number }[] = [];
  for (const method of methods) {
    const points: number[][] = [];
    let seconds = 0;
    if (method === 'pfl') {
      const run = await timedTrain(config({ id: 'pfl', options: pflOptions }, true, files), 'pfl');
      seconds = run.seconds;
      for (const row of rows) points.push(await testPoint(run.runDir, testFile, row));
    } else {
      for (const [r, row] of rows.entries()) {
        const run = await timedTrain(config({ id: method, preference: row }, false, files), `${method}-${r}`);
        seconds += run.seconds;
        points.push(await testPoint(run.runDir, testFile));
      }
    }
    const front = nonDominatedIndices(
      points.map((p) => p.map((v) => 1 - v)),
      'min',
    );
    table.push({
      method,
      runs: method === 'pfl' ? 1 : rows.length,
      hv: ndcgHypervolume(points),
      front: front.length,
      seconds,
    });
    process.stderr.write(`${method}: done in ${seconds.toFixed(1)} s\n`);
  }
  const sweeps = table.filter((t) => t.method !== 'pfl');
  // Without a swept method (METHODS=pfl) the two comparison columns print n/a.
  const best = sweeps.length === 0 ? Number.NaN : Math.max(...sweeps.map((t) => t.hv));
  const sweepTime = sweeps.length === 0 ? Number.NaN : Math.min(...sweeps.map((t) => t.seconds));
  const ratio = (text: string, value: number) => (Number.isFinite(value) ? text : 'n/a');
  console.log(
    `MQ2008 ${taskCount} tasks, pfl conditioning ${conditioning}, ${queries === undefined ? 'full fold' : `${queries} train queries`}, ${epochs} epochs, seed ${seed}, ${rows.length} preference rows, test ${metric}`,
  );
  console.log('method  trainings  hypervolume  vs best sweep  front points  train s  vs fastest sweep');
  for (const t of table) {
    console.log(
      [
        t.method.padEnd(6),
        String(t.runs).padStart(9),
        t.hv.toFixed(4).padStart(11),
        ratio(`${(((t.hv - best) / best) * 100).toFixed(1)} %`, best).padStart(13),
        String(t.front).padStart(12),
        t.seconds.toFixed(1).padStart(7),
        ratio(`${(t.seconds / sweepTime).toFixed(2)}x`, sweepTime).padStart(16),
      ].join('  '),
    );
  }
}

main()
  .finally(() => rmSync(dir, { recursive: true, force: true }))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
