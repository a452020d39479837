import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { selectBackend } from '@mtl2r/backend';
import { type MetricRecord, Registry, Rng } from '@mtl2r/core';
import { bundledDataset } from '@mtl2r/datasets';
import { parseTrainConfig, type TrainConfigInput, train } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

const TASKS = ['relevance', 'pagerank'];

interface LoggedStep {
  losses: number[];
  weights: number[];
  /** Other per-step scalars: grad_norm and the strategy's diagnostics. */
  diagnostics: Record<string, number>;
}

/**
 * Trains a tiny ranker for a few steps on the first 24 queries of the bundled MQ2008 training split
 * (relevance plus PageRank, feature 41, as two tasks) and returns what the trainer logged per step.
 */
async function trainOnMq2008Subset(strategy: TrainConfigInput['strategy'], seed = 3): Promise<LoggedStep[]> {
  await selectBackend({ backend: 'cpu' });
  const dir = mkdtempSync(join(tmpdir(), `mtl2r-${strategy.id}-`));
  try {
    const lines = gunzipSync(readFileSync(bundledDataset('mq2008').train))
      .toString('utf8')
      .split('\n');
    const queries = new Set<string>();
    const subset = lines.filter((line) => {
      const qid = /qid:(\S+)/.exec(line)?.[1];
      if (qid === undefined) return false;
      if (queries.size < 24) queries.add(qid);
      return queries.has(qid);
    });
    writeFileSync(join(dir, 'train.txt'), `${subset.join('\n')}\n`);
    const config = parseTrainConfig({
      seed,
      backend: 'cpu',
      data: {
        train: join(dir, 'train.txt'),
        cacheDir: false,
        spec: {
          tasks: TASKS.map((name, i) => (i === 0 ? { name, source: 'label' } : { name, feature: 41 })),
          featureCount: 46,
          maxLabel: 2,
        },
      },
      model: { modelDim: 8, blocks: 1, heads: 1, ffnDim: 16, dropout: 0 },
      losses: [{ name: 'listNet' }, { name: 'listNet' }],
      strategy,
      training: { epochs: 1, batchSize: 8, maxSlateLength: 16, logEvery: 1 },
    });
    await train({ config, registry: new Registry().use(plugin), runDir: join(dir, 'run') });
    const records = readFileSync(join(dir, 'run', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as MetricRecord);
    const steps = new Map<number, LoggedStep>();
    for (const record of records) {
      if (record.step === undefined || record.split === 'train') continue;
      const step = steps.get(record.step) ?? { losses: [], weights: [], diagnostics: {} };
      steps.set(record.step, step);
      const task = TASKS.indexOf(record.task ?? '');
      if (record.metric === 'loss') step.losses[task] = record.value;
      else if (record.metric === 'weight') step.weights[task] = record.value;
      else step.diagnostics[record.metric] = record.value;
    }
    return [...steps.values()];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('rlw in a short training run on bundled MQ2008', () => {
  it("applies softmax(z) with z drawn from the run's strategy stream at every step, finite losses", async () => {
    const seed = 3;
    const steps = await trainOnMq2008Subset({ id: 'rlw' }, seed);
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    // The trainer gives the strategy new Rng(seed).derive('strategy'); two normal draws per step.
    const draws = new Rng(seed).derive('strategy');
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      const z0 = draws.normal();
      const z1 = draws.normal();
      // the trainer logs weights as float32, hence 6 digits
      expect(weights[0]).toBeCloseTo(1 / (1 + Math.exp(z1 - z0)), 6);
      expect(weights[1]).toBeCloseTo(1 / (1 + Math.exp(z0 - z1)), 6);
    }
  });
});
