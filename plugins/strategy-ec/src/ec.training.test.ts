import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { selectBackend } from '@mtl2r/backend';
import { type MetricRecord, Registry } from '@mtl2r/core';
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

interface LoggedRun {
  steps: LoggedStep[];
  /** Mean training loss per task, one row per epoch. */
  epochLosses: number[][];
}

/**
 * Trains a tiny ranker on the first 24 queries of the bundled MQ2008 training split (relevance plus
 * PageRank, feature 41, as two tasks; 3 steps of 8 queries per epoch) and returns what the trainer logged.
 */
async function trainOnMq2008Subset(strategy: TrainConfigInput['strategy'], epochs = 1): Promise<LoggedRun> {
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
      seed: 3,
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
      training: { epochs, batchSize: 8, maxSlateLength: 16, logEvery: 1 },
    });
    await train({ config, registry: new Registry().use(plugin), runDir: join(dir, 'run') });
    const records = readFileSync(join(dir, 'run', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as MetricRecord);
    const steps = new Map<number, LoggedStep>();
    const epochLosses: number[][] = [];
    for (const record of records) {
      const task = TASKS.indexOf(record.task ?? '');
      if (record.split === 'train') {
        if (record.metric === 'loss' && record.epoch !== undefined) {
          const row = epochLosses[record.epoch] ?? [];
          row[task] = record.value;
          epochLosses[record.epoch] = row;
        }
        continue;
      }
      if (record.step === undefined) continue;
      const step = steps.get(record.step) ?? { losses: [], weights: [], diagnostics: {} };
      steps.set(record.step, step);
      if (record.metric === 'loss') step.losses[task] = record.value;
      else if (record.metric === 'weight') step.weights[task] = record.value;
      else step.diagnostics[record.metric] = record.value;
    }
    return { steps: [...steps.values()], epochLosses };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ec in a short training run on bundled MQ2008', () => {
  it('trains with finite losses; weights sum to 1 and start at [1, 0] (the bounds are the first losses)', async () => {
    const { steps } = await trainOnMq2008Subset({ id: 'ec' });
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect((weights[0] as number) + (weights[1] as number)).toBeCloseTo(1, 6);
      expect(weights.every((w) => w >= 0)).toBe(true);
    }
    // Step 1: L_1 / eps_1 = 1, not violated, so only the main task (relevance) is trained.
    expect(steps[0]?.weights).toEqual([1, 0]);
  });
});
