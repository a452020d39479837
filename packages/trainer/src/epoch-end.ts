import type { MetricsSink, Strategy } from '@mtl2r/core';
import type { RankingSplit } from '@mtl2r/data';
import type { RankingLoss } from '@mtl2r/losses';
import { deltaM, formatMetric, parseMetric } from '@mtl2r/metrics';
import type { TrainerProgress } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import { balancedPreference, evaluateSplit, type TaskEvaluation } from './evaluate.js';
import { metricHigherIsBetter, type RunMetrics } from './metric-plugins.js';
import type { StepModel } from './step-gradients.js';
import type { EmitEvent } from './training-events.js';

export interface EpochEndContext {
  config: TrainConfig;
  model: StepModel;
  losses: readonly RankingLoss[];
  strategy: Strategy;
  vali: RankingSplit | undefined;
  sink: MetricsSink;
  emit: EmitEvent;
  /** `evaluation.metrics` resolved with the run's metric plugins. */
  metrics: RunMetrics;
}

export interface EpochEnd {
  validation: TaskEvaluation[] | undefined;
  /** This epoch's model is the best so far: save it as `best`. */
  improved: boolean;
  earlyStopped: boolean;
}

/**
 * The end of an epoch: mean training losses, validation (every `evaluation.every` epochs and the last),
 * delta_m, the strategy's epoch hook, early stopping; moves `progress` on to the next epoch and emits the
 * 'epoch' event. The caller writes the checkpoints.
 */
export function endEpoch(context: EpochEndContext, progress: TrainerProgress): EpochEnd {
  const { config, model, sink, strategy } = context;
  const taskNames = model.taskNames;
  const epochs = config.training.epochs;
  const epoch = progress.epoch;
  const trainLosses = Float32Array.from(
    progress.epochLossSums,
    (sum) => sum / Math.max(1, progress.epochSteps),
  );
  trainLosses.forEach((value, k) => {
    sink.write({
      metric: 'loss',
      value,
      step: progress.step,
      epoch,
      split: 'train',
      task: taskNames[k] as string,
    });
  });
  let validation: TaskEvaluation[] | undefined;
  let delta: number | undefined;
  const validate = (epoch + 1) % config.evaluation.every === 0 || epoch + 1 === epochs;
  if (validate && context.vali !== undefined) {
    const preference = balancedPreference(model.ranker);
    validation = evaluateSplit(model.ranker, context.vali, context.metrics.specs, {
      registry: context.metrics.registry,
      losses: context.losses,
      batchSize: config.training.evalBatchSize,
      ...(preference === undefined ? {} : { preference }),
    });
    writeEvaluation(sink, validation, 'vali', progress.step, epoch);
    if (config.evaluation.baselines !== undefined) {
      delta = deltaMOf(validation, config.evaluation.baselines, context.metrics);
      sink.write({ metric: 'delta_m', value: delta, step: progress.step, epoch, split: 'vali' });
    }
  }
  strategy.onEpochEnd?.({
    epoch,
    trainLosses,
    ...(validation === undefined
      ? {}
      : { validation: validationByMetric(validation, context.metrics.names) }),
  });

  let improved = false;
  if (validation === undefined) {
    // Without a validation split the latest model is the best one.
    improved = context.vali === undefined;
  } else {
    const value =
      config.earlyStopping.metric === 'delta_m'
        ? (delta as number)
        : watchedValue(validation, config.earlyStopping.task, config.earlyStopping.metric);
    const higherIsBetter = metricHigherIsBetter(context.metrics, config.earlyStopping.metric);
    const best = progress.best;
    improved =
      best === null ||
      (higherIsBetter
        ? value > best.value + config.earlyStopping.minDelta
        : value < best.value - config.earlyStopping.minDelta);
    if (improved) progress.best = { value, epoch };
    progress.evaluationsWithoutImprovement = improved ? 0 : progress.evaluationsWithoutImprovement + 1;
  }
  progress.epoch = epoch + 1;
  progress.epochLossSums = taskNames.map(() => 0);
  progress.epochSteps = 0;
  const patience = config.earlyStopping.patience;
  const earlyStopped = patience !== undefined && progress.evaluationsWithoutImprovement >= patience;
  if (earlyStopped) {
    progress.finished = true;
    sink.write({ metric: 'early_stopped', value: 1, step: progress.step, epoch });
  }
  if (progress.epoch >= epochs) progress.finished = true;
  context.emit({
    type: 'epoch',
    epoch,
    trainLosses,
    ...(validation === undefined ? {} : { validation }),
    ...(delta === undefined ? {} : { deltaM: delta }),
    improved,
    best: progress.best,
  });
  return { validation, improved, earlyStopped };
}

/** Logs per-task losses and metrics of a split. */
export function writeEvaluation(
  sink: MetricsSink,
  results: readonly TaskEvaluation[],
  split: string,
  step: number,
  epoch: number,
): void {
  for (const result of results) {
    if (result.loss !== undefined)
      sink.write({ metric: 'loss', value: result.loss, step, epoch, split, task: result.task });
    for (const [metric, value] of Object.entries(result.metrics))
      sink.write({ metric, value, step, epoch, split, task: result.task });
  }
}

function validationByMetric(
  results: readonly TaskEvaluation[],
  metrics: readonly string[],
): Record<string, Float32Array> {
  return Object.fromEntries(
    metrics.map((metric) => [metric, Float32Array.from(results, (r) => r.metrics[metric] ?? Number.NaN)]),
  );
}

function watchedValue(results: readonly TaskEvaluation[], task: string | undefined, metric: string): number {
  const result = results.find((r) => r.task === task) ?? results[0];
  return result?.metrics[metric] ?? Number.NaN;
}

function deltaMOf(
  results: readonly TaskEvaluation[],
  baselines: Record<string, Record<string, number>>,
  runMetrics: RunMetrics,
): number {
  const terms = Object.entries(baselines).flatMap(([task, metrics]) =>
    Object.entries(metrics).map(([metric, baseline]) => {
      const name = formatMetric(parseMetric(metric, '', runMetrics.registry));
      return {
        task,
        metric: name,
        value: results.find((r) => r.task === task)?.metrics[name] ?? Number.NaN,
        baseline,
        higherIsBetter: metricHigherIsBetter(runMetrics, name),
      };
    }),
  );
  return deltaM(terms);
}
