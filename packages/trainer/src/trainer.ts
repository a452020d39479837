import { existsSync } from 'node:fs';
import { currentBackend } from '@mtl2r/backend';
import { type Json, type MetricsSink, type Registry, Rng } from '@mtl2r/core';
import { JsonlMetricsSink } from '@mtl2r/core/node';
import { TrainingBatcher } from '@mtl2r/data';
import { createRanker, loadRanker, type Ranker } from '@mtl2r/encoder';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainerProgress } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import { degenerateDataWarnings } from './data-warnings.js';
import { endEpoch, writeEvaluation } from './epoch-end.js';
import { balancedPreference, evaluateSplit, type TaskEvaluation } from './evaluate.js';
import { grownArchitecture, writeGrownArchitecture } from './grown-architecture.js';
import { Optimizer } from './optimizer.js';
import { checkTrainConfig, loadTrainingData, resolveConfig } from './prepare.js';
import { ensureRunDirectory, runPaths } from './run-directory.js';
import { acquireRunLock, type RunLock } from './run-lock.js';
import { checkpointWriter, type RunState, startRun } from './run-start.js';
import { cleanStaleFiles } from './stale-files.js';
import type { StepModel } from './step-gradients.js';
import { runStep } from './train-step.js';
import type { TrainingEvent } from './training-events.js';

export type { TrainingEvent } from './training-events.js';

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
 * loads the data (transform fitted on train), takes the run directory's lock (one writer per run), then
 * per step batches -> encoder -> K task losses -> the strategy (through its declared needs only) ->
 * optimizer; per epoch validation, delta_m, early stopping and atomic checkpoints. With `resume`,
 * continues from `checkpoints/last` to the same numbers an uninterrupted run reaches.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const configDir = options.configDir ?? process.cwd();
  const config = resolveConfig(options.config, configDir);
  const paths = runPaths(options.runDir);
  const emit = options.onEvent ?? (() => {});
  const warn = (message: string) => emit({ type: 'warning', message });
  let sink: MetricsSink | undefined;
  const strategyLog: MetricsSink = {
    write: (record) => sink?.write(record),
    flush: () => sink?.flush(),
    close: () => {},
  };
  const setup = await checkTrainConfig(config, options.registry, {
    configDir,
    log: strategyLog,
    notice: (message) => emit({ type: 'note', message }),
  });
  const { strategy, losses, taskNames } = setup;
  let ranker: Ranker | undefined;
  let lock: RunLock | undefined;
  const optimizer = new Optimizer(config.optimizer);
  try {
    const data = await loadTrainingData(config, setup);
    for (const message of degenerateDataWarnings(data.train)) warn(message);
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
    ensureRunDirectory(paths.dir);
    lock = acquireRunLock(paths.dir, warn);
    cleanStaleFiles(paths);
    const state: RunState = { ranker, optimizer, strategy, batcher, taskNames };
    const started = await startRun({
      config,
      paths,
      resume: options.resume === true,
      state,
      backend: backendInfo(),
      emit,
    });
    ranker = started.ranker;
    const progress: TrainerProgress = started.progress;
    if (setup.plugin.needs.growsModel === true) strategy.attachModel?.(ranker);
    sink = new JsonlMetricsSink(paths.metrics, 64);
    const model: StepModel = { ranker, losses, taskNames };
    const modelExtras = JSON.parse(
      JSON.stringify({ taskNames, transform: data.transform, spec: setup.spec }),
    ) as Json;
    const saveCheckpoint = checkpointWriter({
      paths,
      ranker: () => model.ranker,
      modelExtras,
      state,
      progress: () => progress,
      emit,
    });
    const stepContext = {
      config,
      model,
      strategy,
      strategyId: setup.plugin.id,
      optimizer,
      sink,
      stepRoot: new Rng(config.seed).derive('steps'),
      emit,
    };
    const epochContext = {
      config,
      model,
      losses,
      strategy,
      vali: data.vali,
      sink,
      emit,
      metrics: setup.metrics,
    };
    const epochs = config.training.epochs;
    const batches = batcher.batchesPerEpoch;
    let lastValidation: TaskEvaluation[] | undefined;
    let status: TrainResult['status'] = 'completed';

    emit({
      type: 'start',
      taskNames,
      epochs,
      batchesPerEpoch: batches,
      step: progress.step,
      epoch: progress.epoch,
      resumed: started.resumed,
    });
    while (!progress.finished && progress.epoch < epochs) {
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
        await runStep(stepContext, progress, batch, position, batches);
        // Let signal handlers (SIGINT) and timers run between steps; a step alone never yields.
        await new Promise((resolve) => setImmediate(resolve));
      }
      // End of the epoch: the batcher has moved on to the next one.
      const end = endEpoch(epochContext, progress);
      if (end.validation !== undefined) lastValidation = end.validation;
      if (end.earlyStopped) status = 'early-stopped';
      sink.flush();
      if (end.improved) await saveCheckpoint('best');
      await saveCheckpoint('last');
    }
    const grown = grownArchitecture(model.ranker, taskNames);
    if (grown !== undefined)
      emit({ type: 'architecture', architecture: grown, file: writeGrownArchitecture(paths.dir, grown) });

    let test: TaskEvaluation[] | undefined;
    if (data.test !== undefined) {
      const bestDir = existsSync(paths.best) ? paths.best : paths.last;
      const { ranker: bestRanker } = await loadRanker(`${bestDir}/model`);
      try {
        const preference = balancedPreference(bestRanker);
        test = evaluateSplit(bestRanker, data.test, setup.metrics.specs, {
          registry: setup.metrics.registry,
          losses,
          batchSize: config.training.evalBatchSize,
          ...(preference === undefined ? {} : { preference }),
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
  } catch (error) {
    // A write that fails without naming its file (ENOSPC on write(2)) is still located: in this run.
    const errno = error as NodeJS.ErrnoException;
    if (typeof errno?.code === 'string' && typeof errno.syscall === 'string' && errno.path === undefined)
      errno.path = paths.dir;
    throw error;
  } finally {
    sink?.close();
    ranker?.dispose();
    optimizer.dispose();
    strategy.dispose();
    lock?.release();
  }
}

function backendInfo(): { name: string; reason?: string } {
  const backend = currentBackend();
  return backend === undefined ? { name: tf.getBackend() } : { name: backend.name, reason: backend.reason };
}
