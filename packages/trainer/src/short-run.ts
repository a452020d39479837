import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { type MetricRecord, Registry, type StrategyPlugin } from '@mtl2r/core';
import { writeBundledSubset } from './bundled-subset.js';
import { parseTrainConfig, type TrainConfigInput } from './config.js';
import { train } from './trainer.js';

/** The two tasks of the short run: MQ2008's relevance label and PageRank (feature 41) as a second label. */
export const SHORT_RUN_TASKS = ['relevance', 'pagerank'] as const;

export interface LoggedStep {
  losses: number[];
  weights: number[];
  /** Other per-step scalars: grad_norm and the strategy's diagnostics. */
  diagnostics: Record<string, number>;
}

export interface LoggedRun {
  steps: LoggedStep[];
  /** Mean training loss per task, one row per epoch. */
  epochLosses: number[][];
}

export interface ShortRunOptions {
  epochs?: number;
  seed?: number;
}

/**
 * Trains a tiny ranker with a strategy through the real trainer on the first 24 queries of the bundled
 * MQ2008 training split (relevance and PageRank as two tasks, ListNet each; 3 steps of 8 queries per
 * epoch) and returns what the trainer logged. Every strategy plugin's tests run it once: the end-to-end
 * check that the trainer honours the plugin's needs.
 */
export async function trainOnMq2008Subset(
  plugin: StrategyPlugin<unknown>,
  strategy: TrainConfigInput['strategy'],
  options: ShortRunOptions = {},
): Promise<LoggedRun> {
  await selectBackend({ backend: 'cpu' });
  const dir = mkdtempSync(join(tmpdir(), `mtl2r-${strategy.id}-`));
  try {
    const files = writeBundledSubset('mq2008', dir, { train: 24, vali: 0, test: 0 });
    const config = parseTrainConfig({
      seed: options.seed ?? 3,
      backend: 'cpu',
      data: {
        train: files.train,
        cacheDir: false,
        spec: {
          tasks: [
            { name: SHORT_RUN_TASKS[0], source: 'label' },
            { name: SHORT_RUN_TASKS[1], feature: 41 },
          ],
          featureCount: 46,
          maxLabel: 2,
        },
      },
      model: {
        modelDim: 8,
        blocks: 1,
        heads: 1,
        ffnDim: 16,
        dropout: 0,
        // A strategy that conditions the model on a preference gets a conditioned model.
        ...(plugin.needs.conditionsModel === true ? { conditioning: 'input' as const } : {}),
      },
      losses: [{ name: 'listNet' }, { name: 'listNet' }],
      strategy,
      training: { epochs: options.epochs ?? 1, batchSize: 8, maxSlateLength: 16, logEvery: 1 },
    });
    await train({ config, registry: new Registry().use(plugin), runDir: join(dir, 'run') });
    return parseMetrics(readFileSync(join(dir, 'run', 'metrics.jsonl'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Groups the trainer's metrics.jsonl into per-step losses, weights and diagnostics, and epoch losses. */
function parseMetrics(text: string): LoggedRun {
  const steps = new Map<number, LoggedStep>();
  const epochLosses: number[][] = [];
  for (const line of text.trim().split('\n')) {
    const record = JSON.parse(line) as MetricRecord;
    const task = (SHORT_RUN_TASKS as readonly string[]).indexOf(record.task ?? '');
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
}
