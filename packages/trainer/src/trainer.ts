import { existsSync, readFileSync } from 'node:fs';
import { currentBackend } from '@mtl2r/backend';
import { type Json, type MetricRecord, type MetricsSink, type Registry, Rng } from '@mtl2r/core';
import { JsonlMetricsSink } from '@mtl2r/core/node';
import { TrainingBatcher } from '@mtl2r/data';
import { createRanker, loadRanker, type Ranker } from '@mtl2r/encoder';
import { deltaM, formatMetric, parseMetric } from '@mtl2r/metrics';
import * as tf from '@tensorflow/tfjs-core';
import { readCheckpoint, type TrainerProgress, writeCheckpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import { evaluateSplit, type TaskEvaluation } from './evaluate.js';
import { learningRateAt } from './learning-rate.js';
import { splitIntoMicroBatches } from './micro-batches.js';
import { NonFiniteError } from './non-finite-error.js';
import { Optimizer, type ParameterUpdate } from './optimizer.js';
import { checkTrainConfig, loadTrainingData, resolveConfig } from './prepare.js';
import { createRunDirectory, noteResume, runPaths, writeFileAtomic } from './run-directory.js';
import { batchLosses, computeStepGradients, type MicroBatch, type StepModel } from './step-gradients.js';
import { disposeBatchTensors, toBatchTensors } from './task-losses.js';

export interface TrainOptions {
  /** A parsed config (`parseTrainConfig`); relative paths in it are relative to `configDir`. */
  config: TrainConfig;
  /** Directory of the config file (default: the working directory). */
  configDir?: string;
  /** The strategy plugins to choose from (the CLI fills it with the installed ones). */
  registry: Registry;
  /** The run directory: config.json, run.json, metrics.jsonl, checkpoints/{best,last}. */
  runDir: string;
  /** Continue the run in `runDir` from `checkpoints/last`. */
  resume?: boolean;
  /** When aborted, the current batch finishes, `last/` is written and `train` returns 'interrupted'. */
  signal?: AbortSignal;
  /** Progress and results as they happen (progress bars, logs). */
  onEvent?: (event: TrainingEvent) => void;
}

export type TrainingEvent =
  | {
      type: 'start';
      taskNames: readonly string[];
      epochs: number;
      batchesPerEpoch: number;
      step: number;
      epoch: number;
      resumed: boolean;
    }
  | {
      type: 'step';
      step: number;
      epoch: number;
      batch: number;
      batches: number;
      losses: Float32Array;
      learningRate: number;
    }
  | {
      type: 'epoch';
      epoch: number;
      trainLosses: Float32Array;
      validation?: readonly TaskEvaluation[];
      deltaM?: number;
      improved: boolean;
      best: { value: number; epoch: number } | null;
    }
  | { type: 'checkpoint'; which: 'best' | 'last'; dir: string; step: number }
  | { type: 'test'; results: readonly TaskEvaluation[] };

export interface TrainResult {
  status: 'completed' | 'early-stopped' | 'interrupted';
  runDir: string;
  /** Optimizer steps taken. */
  step: number;
  /** Epochs completed. */
  epochs: number;
  best: { value: number; epoch: number } | null;
  /** The last validation results, if any. */
  validation?: TaskEvaluation[];
  /** Test results of the best checkpoint, when a test split is configured and training finished. */
  test?: TaskEvaluation[];
}

/**
 * Trains a multi-task ranker as the config says, in `runDir`: checks everything before the first step,
 * loads the data (transform fitted on train), then per step batches -> encoder -> K task losses -> the
 * strategy (through its declared needs only) -> optimizer; per epoch validation, delta_m, early stopping
 * and atomic checkpoints. With `resume`, continues from `checkpoints/last` to the same numbers an
 * uninterrupted run reaches.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const configDir = options.configDir ?? process.cwd();
  const config = resolveConfig(options.config, configDir);
  const paths = runPaths(options.runDir);
  const emit = options.onEvent ?? (() => {});
  let sink: MetricsSink | undefined;
  const strategyLog: MetricsSink = {
    write: (record) => sink?.write(record),
    flush: () => sink?.flush(),
    close: () => {},
  };
  const setup = await checkTrainConfig(config, options.registry, { configDir, log: strategyLog });
  const { strategy, losses, taskNames } = setup;
  let ranker: Ranker | undefined;
  const optimizer = new Optimizer(config.optimizer);
  try {
    const data = await loadTrainingData(config, setup);
    ranker = createRanker(
      { ...config.model, featureCount: data.train.featureCount, taskCount: taskNames.length },
      config.seed,
    );
    const batcher = new TrainingBatcher(data.train, {
      batchSize: config.training.batchSize,
      maxSlateLength: config.training.maxSlateLength,
      seed: config.seed,
      bucketByLength: config.training.bucketByLength,
      padToMaxSlateLength: config.training.padToMaxSlateLength,
    });
    let progress: TrainerProgress = {
      step: 0,
      epoch: 0,
      batcher: batcher.position(),
      epochLossSums: taskNames.map(() => 0),
      epochSteps: 0,
      best: null,
      evaluationsWithoutImprovement: 0,
      finished: false,
    };
    if (options.resume === true) {
      const checkpoint = await readCheckpoint(paths.last);
      ranker.dispose();
      ranker = checkpoint.ranker;
      optimizer.loadState(checkpoint.optimizer, `${checkpoint.dir}/optimizer.json`);
      strategy.loadState(checkpoint.strategyState);
      batcher.restore(checkpoint.progress.batcher);
      progress = checkpoint.progress;
      writeFileAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`);
      noteResume(paths);
      truncateMetrics(paths.metrics, progress.step);
    } else {
      createRunDirectory(paths.dir, config, backendInfo());
    }
    if (setup.plugin.needs.growsModel === true) strategy.attachModel?.(ranker);
    sink = new JsonlMetricsSink(paths.metrics, 64);
    const model: StepModel = { ranker, losses, taskNames };
    const modelExtras = JSON.parse(
      JSON.stringify({ taskNames, transform: data.transform, spec: setup.spec }),
    ) as Json;
    const stepRoot = new Rng(config.seed).derive('steps');
    const epochs = config.training.epochs;
    const batches = batcher.batchesPerEpoch;
    let lastValidation: TaskEvaluation[] | undefined;
    let status: TrainResult['status'] = 'completed';

    const saveCheckpoint = async (which: 'best' | 'last') => {
      const dir = which === 'best' ? paths.best : paths.last;
      await writeCheckpoint(dir, {
        ranker: model.ranker,
        modelExtras,
        optimizer: optimizer.state(),
        strategyState: strategy.state(),
        progress: { ...progress, batcher: batcher.position() },
      });
      emit({ type: 'checkpoint', which, dir, step: progress.step });
    };

    emit({
      type: 'start',
      taskNames,
      epochs,
      batchesPerEpoch: batches,
      step: progress.step,
      epoch: progress.epoch,
      resumed: options.resume === true,
    });
    while (!progress.finished && progress.epoch < epochs) {
      // Steps of this epoch.
      for (;;) {
        if (options.signal?.aborted === true) {
          sink.flush();
          await saveCheckpoint('last');
          sink.close();
          return {
            status: 'interrupted',
            runDir: paths.dir,
            step: progress.step,
            epochs: progress.epoch,
            best: progress.best,
          };
        }
        const position = batcher.position();
        const batch = batcher.nextBatch();
        if (batch === null) break;
        const stepRng = stepRoot.derive(`step:${progress.step}`);
        const microBatches: MicroBatch[] = splitIntoMicroBatches(batch, config.training.microBatchItems).map(
          (micro, m) => ({
            tensors: toBatchTensors(micro),
            share: micro.batchSize / batch.batchSize,
            seed: stepRng.derive(`micro:${m}`).seed31(),
          }),
        );
        try {
          const at = { step: progress.step, epoch: progress.epoch };
          const learningRate = learningRateAt(config.optimizer, progress.step, progress.epoch, epochs);
          const lossesBefore = await takeStep(
            model,
            microBatches,
            strategy,
            optimizer,
            config,
            at,
            learningRate,
            sink,
          );
          if (strategy.needs.lossesAfterUpdate === true) {
            strategy.afterUpdate?.({ ...at, lossesBefore, lossesAfter: batchLosses(model, microBatches) });
          } else {
            strategy.afterUpdate?.({ ...at, lossesBefore });
          }
          lossesBefore.forEach((v, k) => {
            progress.epochLossSums[k] = (progress.epochLossSums[k] as number) + v;
          });
          progress.epochSteps++;
          progress.step++;
          emit({
            type: 'step',
            step: progress.step,
            epoch: progress.epoch,
            batch: position.cursor + 1,
            batches,
            losses: lossesBefore,
            learningRate,
          });
        } finally {
          for (const micro of microBatches) disposeBatchTensors(micro.tensors);
        }
        // Let signal handlers (SIGINT) and timers run between steps; a step alone never yields.
        await new Promise((resolve) => setImmediate(resolve));
      }
      // End of the epoch: the batcher has moved on to the next one.
      const epoch = progress.epoch;
      const trainLosses = Float32Array.from(
        progress.epochLossSums,
        (sum) => sum / Math.max(1, progress.epochSteps),
      );
      trainLosses.forEach((value, k) => {
        sink?.write({
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
      const validate =
        data.vali !== undefined && ((epoch + 1) % config.evaluation.every === 0 || epoch + 1 === epochs);
      if (validate && data.vali !== undefined) {
        validation = evaluateSplit(model.ranker, data.vali, config.evaluation.metrics, {
          losses,
          batchSize: config.training.evalBatchSize,
        });
        lastValidation = validation;
        writeEvaluation(sink, validation, 'vali', progress.step, epoch);
        if (config.evaluation.baselines !== undefined) {
          delta = deltaMOf(validation, config.evaluation.baselines);
          sink.write({ metric: 'delta_m', value: delta, step: progress.step, epoch, split: 'vali' });
        }
      }
      strategy.onEpochEnd?.({
        epoch,
        trainLosses,
        ...(validation === undefined
          ? {}
          : { validation: validationByMetric(validation, config.evaluation.metrics) }),
      });

      let improved = false;
      if (validation === undefined) {
        // Without a validation split the latest model is the best one.
        improved = data.vali === undefined;
      } else {
        const value =
          config.earlyStopping.metric === 'delta_m'
            ? (delta as number)
            : watchedValue(validation, config.earlyStopping.task, config.earlyStopping.metric);
        const higherIsBetter = config.earlyStopping.metric !== 'delta_m';
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
      if (patience !== undefined && progress.evaluationsWithoutImprovement >= patience) {
        progress.finished = true;
        status = 'early-stopped';
        sink.write({ metric: 'early_stopped', value: 1, step: progress.step, epoch });
      }
      if (progress.epoch >= epochs) progress.finished = true;
      emit({
        type: 'epoch',
        epoch,
        trainLosses,
        ...(validation === undefined ? {} : { validation }),
        ...(delta === undefined ? {} : { deltaM: delta }),
        improved,
        best: progress.best,
      });
      sink.flush();
      if (improved) await saveCheckpoint('best');
      await saveCheckpoint('last');
    }

    let test: TaskEvaluation[] | undefined;
    if (data.test !== undefined) {
      const bestDir = existsSync(paths.best) ? paths.best : paths.last;
      const { ranker: bestRanker } = await loadRanker(`${bestDir}/model`);
      try {
        test = evaluateSplit(bestRanker, data.test, config.evaluation.metrics, {
          losses,
          batchSize: config.training.evalBatchSize,
        });
      } finally {
        bestRanker.dispose();
      }
      writeEvaluation(sink, test, 'test', progress.step, progress.epoch);
      emit({ type: 'test', results: test });
    }
    sink.close();
    return {
      status,
      runDir: paths.dir,
      step: progress.step,
      epochs: progress.epoch,
      best: progress.best,
      ...(lastValidation === undefined ? {} : { validation: lastValidation }),
      ...(test === undefined ? {} : { test }),
    };
  } finally {
    sink?.close();
    ranker?.dispose();
    optimizer.dispose();
    strategy.dispose();
  }
}

/**
 * One optimizer step: gradients through the strategy, the strategy's own variables, the finite check,
 * clipping, the update. Returns the batch's K losses. Nothing is updated when anything is not finite.
 */
async function takeStep(
  model: StepModel,
  microBatches: readonly MicroBatch[],
  strategy: Parameters<typeof computeStepGradients>[2],
  optimizer: Optimizer,
  config: TrainConfig,
  at: { step: number; epoch: number },
  learningRate: number,
  sink: MetricsSink,
): Promise<Float32Array> {
  const records = model.ranker.namedVariables().slice();
  const result = await computeStepGradients(model, microBatches, strategy, at);
  const extra: ParameterUpdate[] = [];
  try {
    const strategyVariables = strategy.trainableVariables?.() ?? [];
    if (strategyVariables.length > 0 && strategy.variableObjective !== undefined) {
      const objective = strategy.variableObjective.bind(strategy);
      const { value, grads } = tf.variableGrads(
        () => tf.tidy(() => objective(tf.tensor1d(result.losses))),
        strategyVariables,
      );
      value.dispose();
      strategyVariables.forEach((variable, i) => {
        const gradient = grads[variable.name];
        if (gradient !== undefined) extra.push({ name: `strategy/${i}`, variable, gradient });
      });
    }
    const norm = tf.tidy(
      () => tf.sqrt(tf.addN(result.gradients.map((g) => tf.sum(tf.square(g))))).dataSync()[0] as number,
    );
    if (!Number.isFinite(norm)) {
      throw new NonFiniteError(
        'gradient',
        at.step,
        model.taskNames.length === 1 ? model.taskNames[0] : undefined,
        norm,
      );
    }
    const clip = config.optimizer.clipNorm;
    const scale = clip !== undefined && norm > clip ? clip / norm : 1;
    const updates: ParameterUpdate[] = records.map((record, i) => ({
      name: record.name,
      variable: record.variable,
      gradient:
        scale === 1 ? (result.gradients[i] as tf.Tensor) : tf.mul(result.gradients[i] as tf.Tensor, scale),
    }));
    try {
      optimizer.apply([...updates, ...extra], learningRate);
    } finally {
      if (scale !== 1) tf.dispose(updates.map((u) => u.gradient));
    }
    if ((at.step + 1) % config.training.logEvery === 0 || at.step === 0) {
      result.losses.forEach((value, k) => {
        sink.write({
          metric: 'loss',
          value,
          step: at.step + 1,
          epoch: at.epoch,
          split: 'train-step',
          task: model.taskNames[k] as string,
        });
      });
      result.weights.forEach((value, k) => {
        sink.write({
          metric: 'weight',
          value,
          step: at.step + 1,
          epoch: at.epoch,
          task: model.taskNames[k] as string,
        });
      });
      sink.write({ metric: 'grad_norm', value: norm, step: at.step + 1, epoch: at.epoch });
      for (const [metric, value] of Object.entries(result.diagnostics ?? {}))
        sink.write({ metric, value, step: at.step + 1, epoch: at.epoch });
    }
    return result.losses;
  } finally {
    tf.dispose(result.gradients);
    tf.dispose(extra.map((u) => u.gradient));
  }
}

function writeEvaluation(
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
): number {
  const terms = Object.entries(baselines).flatMap(([task, metrics]) =>
    Object.entries(metrics).map(([metric, baseline]) => {
      const name = formatMetric(parseMetric(metric));
      return {
        task,
        metric: name,
        value: results.find((r) => r.task === task)?.metrics[name] ?? Number.NaN,
        baseline,
        higherIsBetter: true,
      };
    }),
  );
  return deltaM(terms);
}

function backendInfo(): { name: string; reason?: string } {
  const backend = currentBackend();
  return backend === undefined ? { name: tf.getBackend() } : { name: backend.name, reason: backend.reason };
}

/** Drops metric lines logged after the checkpoint a run resumes from (and test results), so the log matches an uninterrupted run. */
function truncateMetrics(file: string, step: number): void {
  if (!existsSync(file)) return;
  const kept = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => {
      if (line.trim() === '') return false;
      try {
        const record = JSON.parse(line) as MetricRecord;
        // Test results are recomputed when the run ends; anything after the checkpoint is redone.
        return record.split !== 'test' && (record.step === undefined || record.step <= step);
      } catch {
        return false; // a torn last line from a kill
      }
    });
  writeFileAtomic(file, kept.length === 0 ? '' : `${kept.join('\n')}\n`);
}
