import type { MetricRecord } from '@mtl2r/core';
import { type Figure, VEGA_LITE_SCHEMA } from './figure.js';
import type { GrownModule, RunLog } from './run-log.js';

/** Per-step records carry no split; per-epoch ones do (`train`, `vali`); `train-step` losses are per step. */
const STEP_LOSS_SPLIT = 'train-step';
const WEIGHT_METRIC = 'weight';

export interface EpochRow {
  /** 1-based, as a person counts epochs. */
  epoch: number;
  task: string;
  metric: string;
  value: number;
}

export interface StepRow {
  step: number;
  series: string;
  metric: string;
  value: number;
}

/** Mean training loss per task per epoch (the trainer's `loss` records of split `train`). */
export function trainingLossRows(records: readonly MetricRecord[]): EpochRow[] {
  return epochRows(records, (r) => r.split === 'train' && r.metric === 'loss');
}

/** Validation metrics per task per epoch (every `vali` record with a task except the loss). */
export function validationRows(records: readonly MetricRecord[]): EpochRow[] {
  return epochRows(records, (r) => r.split === 'vali' && r.task !== undefined && r.metric !== 'loss');
}

/** delta_m% per epoch (logged when the config knows the STL baselines). */
export function deltaMRows(records: readonly MetricRecord[]): EpochRow[] {
  return epochRows(records, (r) => r.split === 'vali' && r.metric === 'delta_m', 'all tasks');
}

/** Task weights the strategy returned, per logged step. */
export function weightRows(records: readonly MetricRecord[]): StepRow[] {
  return records
    .filter((r) => r.split === undefined && r.metric === WEIGHT_METRIC && r.step !== undefined)
    .map((r) => ({ step: r.step as number, series: r.task ?? '', metric: WEIGHT_METRIC, value: r.value }));
}

/** The other per-step scalars: grad_norm and whatever the strategy logs (min-norm value, cosines, ...). */
export function diagnosticRows(records: readonly MetricRecord[]): StepRow[] {
  return records
    .filter(
      (r) =>
        r.split === undefined &&
        r.step !== undefined &&
        r.metric !== WEIGHT_METRIC &&
        r.metric !== 'early_stopped',
    )
    .map((r) => ({ step: r.step as number, series: r.task ?? r.metric, metric: r.metric, value: r.value }));
}

/** The epochs the run finished (those with a training loss). */
export function finishedEpochs(records: readonly MetricRecord[]): number[] {
  return [...new Set(trainingLossRows(records).map((r) => r.epoch))].sort((a, b) => a - b);
}

function epochRows(
  records: readonly MetricRecord[],
  keep: (record: MetricRecord) => boolean,
  defaultTask = '',
): EpochRow[] {
  return records
    .filter((r) => r.epoch !== undefined && r.split !== STEP_LOSS_SPLIT && keep(r))
    .map((r) => ({
      epoch: (r.epoch as number) + 1,
      task: r.task ?? defaultTask,
      metric: r.metric,
      value: r.value,
    }));
}

/** Every figure a run directory supports; figures whose data the run did not log are left out. */
export function runFigures(log: RunLog): Figure[] {
  const { records } = log;
  const figures: Figure[] = [];
  const losses = trainingLossRows(records);
  figures.push(
    lineFigure(
      'training-loss',
      'Training loss per task',
      'Mean training loss of each task over each epoch.',
      losses,
      {
        x: 'epoch',
        y: 'value',
        yTitle: 'loss',
        color: 'task',
      },
    ),
  );
  const validation = validationRows(records);
  if (validation.length > 0) {
    const metrics = [...new Set(validation.map((r) => r.metric))];
    figures.push(
      lineFigure(
        'validation-metrics',
        'Validation metrics per task',
        `Validation ${metrics.join(', ')} of each task after each evaluated epoch.`,
        validation,
        { x: 'epoch', y: 'value', yTitle: 'value', color: 'task', facet: 'metric' },
      ),
    );
  }
  const delta = deltaMRows(records);
  if (delta.length > 0) {
    figures.push(
      lineFigure(
        'delta-m',
        'delta_m per epoch',
        'delta_m% of the validation metrics against the STL baselines (negative is better than STL).',
        delta,
        { x: 'epoch', y: 'value', yTitle: 'delta_m %' },
      ),
    );
  }
  const weights = weightRows(records);
  if (weights.length > 0) {
    figures.push(
      lineFigure(
        'task-weights',
        'Task weights over steps',
        'The weight the strategy gave each task at each logged step.',
        weights,
        {
          x: 'step',
          y: 'value',
          yTitle: 'weight',
          color: 'series',
          colorTitle: 'task',
        },
      ),
    );
  }
  const diagnostics = diagnosticRows(records);
  if (diagnostics.length > 0) {
    const metrics = [...new Set(diagnostics.map((r) => r.metric))];
    figures.push(
      lineFigure(
        'strategy-diagnostics',
        'Strategy diagnostics over steps',
        `Per-step scalars logged during training: ${metrics.join(', ')}.`,
        diagnostics,
        {
          x: 'step',
          y: 'value',
          yTitle: 'value',
          // A legend only when some diagnostic has one series per task.
          ...(diagnostics.some((r) => r.series !== r.metric)
            ? { color: 'series', colorTitle: 'series' }
            : {}),
          facet: 'metric',
        },
      ),
    );
  }
  if (log.grownModules.length > 0) figures.push(grownModulesFigure(log.grownModules, log.taskNames));
  return figures;
}

interface LineEncoding {
  x: 'epoch' | 'step';
  y: 'value';
  yTitle: string;
  color?: string;
  colorTitle?: string;
  /** A field to facet by (one small chart per value, each with its own y scale). */
  facet?: string;
}

function lineFigure(
  id: string,
  title: string,
  caption: string,
  rows: readonly (EpochRow | StepRow)[],
  encoding: LineEncoding,
): Figure {
  const color =
    encoding.color === undefined
      ? {}
      : {
          color: {
            field: encoding.color,
            type: 'nominal' as const,
            title: encoding.colorTitle ?? encoding.color,
          },
        };
  const tooltip = [
    { field: encoding.x, type: 'quantitative' as const },
    ...(encoding.color === undefined ? [] : [{ field: encoding.color, type: 'nominal' as const }]),
    { field: 'metric', type: 'nominal' as const },
    { field: 'value', type: 'quantitative' as const, format: '.4f' },
  ];
  const unit = {
    mark: { type: 'line' as const, point: rows.length <= 200 },
    encoding: {
      x: { field: encoding.x, type: 'quantitative' as const, title: encoding.x, axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative' as const, title: encoding.yTitle, scale: { zero: false } },
      ...color,
      tooltip,
    },
  };
  const spec =
    encoding.facet === undefined
      ? { $schema: VEGA_LITE_SCHEMA, title, data: { values: [...rows] }, width: 420, height: 260, ...unit }
      : {
          $schema: VEGA_LITE_SCHEMA,
          title,
          data: { values: [...rows] },
          facet: { field: encoding.facet, type: 'nominal' as const, title: null },
          columns: 2,
          resolve: { scale: { y: 'independent' as const } },
          spec: { width: 300, height: 200, ...unit },
        };
  return { id, title, caption, spec };
}

/** Modules grown per block and task pair (MAMO), with their parameter counts. */
export function grownModulesFigure(modules: readonly GrownModule[], taskNames: readonly string[]): Figure {
  const name = (k: number) => taskNames[k] ?? `task ${k}`;
  const values = modules.map((m) => ({
    pair: `${name(m.taskA)} + ${name(m.taskB)}`,
    block: m.block,
    parameters: m.parameters,
  }));
  return {
    id: 'grown-modules',
    title: 'Grown modules',
    caption: `${modules.length} task-pair module(s) grown during training, by block and task pair.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: 'Grown modules',
      data: { values },
      width: 420,
      height: 260,
      mark: 'bar',
      encoding: {
        x: { field: 'block', type: 'ordinal', title: 'block' },
        y: { aggregate: 'sum', field: 'parameters', type: 'quantitative', title: 'parameters' },
        color: { field: 'pair', type: 'nominal', title: 'task pair' },
        tooltip: [
          { field: 'pair', type: 'nominal' },
          { field: 'block', type: 'ordinal' },
          { aggregate: 'sum', field: 'parameters', type: 'quantitative' },
        ],
      },
    },
  };
}
