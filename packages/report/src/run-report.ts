import { UserError } from '@mtl2r/core';
import { cell, type ReportContent, type Table } from './figure.js';
import { finishedEpochs, runFigures, trainingLossRows, validationRows } from './run-figures.js';
import type { RunLog } from './run-log.js';

/** The report of one run: its figures and a table of the final metrics per task. */
export function runReportContent(log: RunLog): ReportContent {
  const epochs = finishedEpochs(log.records);
  if (epochs.length === 0) {
    throw new UserError(
      `${log.dir}: the run has no finished epoch yet (metrics.jsonl has no per-epoch training loss)`,
      {
        hint: 'make the report once the run has finished at least one epoch',
      },
    );
  }
  const lastEpoch = epochs[epochs.length - 1] as number;
  const earlyStopped = log.records.some((r) => r.metric === 'early_stopped');
  return {
    kind: 'run',
    title: `mtl2r run report: ${log.dir.split(/[\\/]/).pop() ?? log.dir}`,
    subtitle: [
      `run directory ${log.dir}`,
      `${epochs.length} finished epoch(s)${earlyStopped ? ', early stopped' : ''}; tasks ${log.taskNames.join(', ')}`,
    ],
    figures: runFigures(log),
    tables: [finalMetricsTable(log, lastEpoch)],
    texts: [],
    warnings: [],
  };
}

/** Last training loss and last validation values of each task. */
export function finalMetricsTable(log: RunLog, lastEpoch: number): Table {
  const losses = trainingLossRows(log.records).filter((r) => r.epoch === lastEpoch);
  const validation = validationRows(log.records);
  const lastValidated = Math.max(0, ...validation.map((r) => r.epoch));
  const final = validation.filter((r) => r.epoch === lastValidated);
  const metrics = [...new Set(final.map((r) => r.metric))];
  const tasks = log.taskNames.length > 0 ? log.taskNames : [...new Set(losses.map((r) => r.task))];
  return {
    id: 'final-metrics',
    title: `Final metrics per task (training loss of epoch ${lastEpoch}${lastValidated > 0 ? `, validation of epoch ${lastValidated}` : ''})`,
    header: ['task', 'training loss', ...metrics.map((m) => `vali ${m}`)],
    rows: tasks.map((task) => [
      task,
      cell(losses.find((r) => r.task === task)?.value),
      ...metrics.map((m) => cell(final.find((r) => r.task === task && r.metric === m)?.value)),
    ]),
  };
}
