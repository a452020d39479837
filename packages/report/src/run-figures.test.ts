import type { MetricRecord } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import type { Figure } from './figure.js';
import {
  deltaMRows,
  diagnosticRows,
  finishedEpochs,
  runFigures,
  trainingLossRows,
  validationRows,
  weightRows,
} from './run-figures.js';
import type { RunLog } from './run-log.js';

// What the trainer writes for two tasks: per-step records (no split, train-step losses), then per-epoch ones.
const records: MetricRecord[] = [
  { metric: 'loss', value: 2.5, step: 1, epoch: 0, split: 'train-step', task: 'a' },
  { metric: 'weight', value: 0.7, step: 1, epoch: 0, task: 'a' },
  { metric: 'weight', value: 0.3, step: 1, epoch: 0, task: 'b' },
  { metric: 'grad_norm', value: 4, step: 1, epoch: 0 },
  { metric: 'min_norm', value: 0.25, step: 1, epoch: 0 },
  { metric: 'loss', value: 2.25, step: 2, epoch: 0, split: 'train', task: 'a' },
  { metric: 'loss', value: 1.5, step: 2, epoch: 0, split: 'train', task: 'b' },
  { metric: 'loss', value: 2.0, step: 2, epoch: 0, split: 'vali', task: 'a' },
  { metric: 'ndcg@10', value: 0.61, step: 2, epoch: 0, split: 'vali', task: 'a' },
  { metric: 'ndcg@10', value: 0.72, step: 2, epoch: 0, split: 'vali', task: 'b' },
  { metric: 'delta_m', value: -1.5, step: 2, epoch: 0, split: 'vali' },
  { metric: 'loss', value: 2.0, step: 4, epoch: 1, split: 'train', task: 'a' },
  { metric: 'loss', value: 1.25, step: 4, epoch: 1, split: 'train', task: 'b' },
  { metric: 'early_stopped', value: 1, step: 4, epoch: 1 },
];

/** The rows a figure's spec plots. */
function dataOf(figures: readonly Figure[], id: string): unknown[] {
  const figure = figures.find((f) => f.id === id);
  if (figure === undefined) throw new Error(`no figure ${id}`);
  return (figure.spec as { data: { values: unknown[] } }).data.values;
}

function log(overrides: Partial<RunLog> = {}): RunLog {
  return { dir: '/runs/x', records, taskNames: ['a', 'b'], grownModules: [], ...overrides };
}

describe('run figure data', () => {
  it('training loss: the per-epoch train losses only, with 1-based epochs', () => {
    expect(trainingLossRows(records)).toEqual([
      { epoch: 1, task: 'a', metric: 'loss', value: 2.25 },
      { epoch: 1, task: 'b', metric: 'loss', value: 1.5 },
      { epoch: 2, task: 'a', metric: 'loss', value: 2.0 },
      { epoch: 2, task: 'b', metric: 'loss', value: 1.25 },
    ]);
    expect(finishedEpochs(records)).toEqual([1, 2]);
  });

  it('validation: every per-task vali metric but the loss; delta_m separately', () => {
    expect(validationRows(records)).toEqual([
      { epoch: 1, task: 'a', metric: 'ndcg@10', value: 0.61 },
      { epoch: 1, task: 'b', metric: 'ndcg@10', value: 0.72 },
    ]);
    expect(deltaMRows(records)).toEqual([{ epoch: 1, task: 'all tasks', metric: 'delta_m', value: -1.5 }]);
  });

  it('strategy diagnostics: weights per task, other step scalars per metric, never early_stopped', () => {
    expect(weightRows(records)).toEqual([
      { step: 1, series: 'a', metric: 'weight', value: 0.7 },
      { step: 1, series: 'b', metric: 'weight', value: 0.3 },
    ]);
    expect(diagnosticRows(records)).toEqual([
      { step: 1, series: 'grad_norm', metric: 'grad_norm', value: 4 },
      { step: 1, series: 'min_norm', metric: 'min_norm', value: 0.25 },
    ]);
  });

  it('each figure plots exactly its rows; a figure without data is left out', () => {
    const figures = runFigures(log());
    expect(figures.map((f) => f.id)).toEqual([
      'training-loss',
      'validation-metrics',
      'delta-m',
      'task-weights',
      'strategy-diagnostics',
    ]);
    const data = (id: string) => dataOf(figures, id);
    expect(data('training-loss')).toEqual(trainingLossRows(records));
    expect(data('validation-metrics')).toEqual(validationRows(records));
    expect(data('delta-m')).toEqual(deltaMRows(records));
    const withoutBaselines = runFigures(log({ records: records.filter((r) => r.metric !== 'delta_m') }));
    expect(withoutBaselines.map((f) => f.id)).not.toContain('delta-m');
  });

  it('grown modules: one bar segment per module with the task names of its pair', () => {
    const figures = runFigures(
      log({
        grownModules: [
          { taskA: 0, taskB: 1, block: 0, parameters: 120 },
          { taskA: 0, taskB: 1, block: 1, parameters: 150 },
        ],
      }),
    );
    expect(dataOf(figures, 'grown-modules')).toEqual([
      { pair: 'a + b', block: 0, parameters: 120 },
      { pair: 'a + b', block: 1, parameters: 150 },
    ]);
  });
});
