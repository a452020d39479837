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

describe('uw in a short training run on bundled MQ2008', () => {
  it("trains with finite losses, and the trainer's optimizer really moves s", async () => {
    const { steps } = await trainOnMq2008Subset({ id: 'uw' });
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights.every((w) => Number.isFinite(w) && w > 0)).toBe(true);
    }
    // Step 1 runs at s = 0: weights 0.5 exp(0) = 0.5.
    expect(steps[0]?.weights).toEqual([0.5, 0.5]);
    // d objective / d s_i = 0.5 (1 - L_i) at s = 0, so one descent step moves s_i up (toward ln L_i > 0)
    // when L_i > 1 and down when L_i < 1: the weight 0.5 exp(-s_i) of step 2 moves the other way.
    const first = steps[0] as LoggedStep;
    const second = steps[1] as LoggedStep;
    first.losses.forEach((loss, i) => {
      const change = (second.weights[i] as number) - 0.5;
      expect(Math.sign(change)).toBe(Math.sign(1 - loss));
    });
  });
});
