import { existsSync, readFileSync, rmSync } from 'node:fs';
import { type Json, type MetricRecord, type Strategy, UserError } from '@mtl2r/core';
import type { TrainingBatcher } from '@mtl2r/data';
import type { Ranker } from '@mtl2r/encoder';
import { NoCheckpointError, readCheckpoint, type TrainerProgress, writeCheckpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import type { Optimizer } from './optimizer.js';
import {
  createRunDirectory,
  noteResume,
  type RunInfo,
  type RunPaths,
  writeFileAtomic,
} from './run-directory.js';
import type { EmitEvent } from './training-events.js';

/** The trainable state a run starts from (fresh) and that a resume overwrites from `checkpoints/last`. */
export interface RunState {
  ranker: Ranker;
  optimizer: Optimizer;
  strategy: Strategy;
  batcher: TrainingBatcher;
  taskNames: readonly string[];
}

export interface StartedRun {
  /** The ranker to train: the fresh one, or the checkpoint's (the fresh one is then disposed). */
  ranker: Ranker;
  progress: TrainerProgress;
  resumed: boolean;
}

/**
 * Starts a new run in `paths.dir` (refusing a directory that already holds one), or continues it from
 * `checkpoints/last` when `resume`: weights, optimizer slots, strategy state, batcher position and
 * progress, with metrics.jsonl cut back to the checkpoint's step. A run stopped before its first
 * checkpoint restarts from the beginning (and says so); a checkpoint past the configured epochs is refused.
 */
export async function startRun(options: {
  config: TrainConfig;
  paths: RunPaths;
  resume: boolean;
  state: RunState;
  backend: RunInfo['backend'];
  emit: EmitEvent;
}): Promise<StartedRun> {
  const { config, paths, state, emit } = options;
  const fresh: TrainerProgress = {
    step: 0,
    epoch: 0,
    batcher: state.batcher.position(),
    epochLossSums: state.taskNames.map(() => 0),
    epochSteps: 0,
    best: null,
    evaluationsWithoutImprovement: 0,
    finished: false,
  };
  if (!options.resume) {
    createRunDirectory(paths.dir, config, options.backend);
    return { ranker: state.ranker, progress: fresh, resumed: false };
  }
  const warn = (message: string) => emit({ type: 'warning', message });
  let checkpoint: Awaited<ReturnType<typeof readCheckpoint>>;
  try {
    checkpoint = await readCheckpoint(paths.last, { onNote: warn });
  } catch (error) {
    if (!(error instanceof NoCheckpointError) || !existsSync(paths.config)) throw error;
    warn(
      `${paths.dir} has no checkpoint yet (the run stopped before its first epoch ended): starting it from the beginning`,
    );
    // A fresh start in place: new config.json and run.json (a kill may have cut them), no metrics.
    for (const file of [paths.config, paths.run, paths.metrics]) rmSync(file, { force: true });
    createRunDirectory(paths.dir, config, options.backend);
    return { ranker: state.ranker, progress: fresh, resumed: false };
  }
  try {
    checkResumable(checkpoint.progress, config, state.taskNames, `${checkpoint.dir}/state.json`);
    state.optimizer.loadState(checkpoint.optimizer, `${checkpoint.dir}/optimizer.json`);
    state.strategy.loadState(checkpoint.strategyState);
    state.batcher.restore(checkpoint.progress.batcher);
    noteResume(paths);
    writeFileAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`);
    truncateMetrics(paths.metrics, checkpoint.progress.step);
  } catch (error) {
    checkpoint.ranker.dispose();
    throw error;
  }
  state.ranker.dispose();
  return { ranker: checkpoint.ranker, progress: checkpoint.progress, resumed: true };
}

function checkResumable(
  progress: TrainerProgress,
  config: TrainConfig,
  taskNames: readonly string[],
  file: string,
): void {
  const epochs = config.training.epochs;
  if (progress.epoch > epochs) {
    throw new UserError(
      `${file}: the checkpoint is at epoch ${progress.epoch} but training.epochs is ${epochs}: a run cannot resume past its end`,
      { hint: `train on with a larger training.epochs (e.g. --set training.epochs=${progress.epoch + 1})` },
    );
  }
  if (progress.epochLossSums.length !== taskNames.length) {
    throw new UserError(
      `${file}: the checkpoint has ${progress.epochLossSums.length} task(s), the config ${taskNames.length} [${taskNames.join(', ')}]`,
    );
  }
}

/** Writes `best` or `last` from the live training state and reports it. */
export function checkpointWriter(options: {
  paths: RunPaths;
  ranker: () => Ranker;
  modelExtras: Json;
  state: RunState;
  progress: () => TrainerProgress;
  emit: EmitEvent;
}): (which: 'best' | 'last') => Promise<void> {
  return async (which) => {
    const dir = which === 'best' ? options.paths.best : options.paths.last;
    const progress = options.progress();
    await writeCheckpoint(dir, {
      ranker: options.ranker(),
      modelExtras: options.modelExtras,
      optimizer: options.state.optimizer.state(),
      strategyState: options.state.strategy.state(),
      progress: { ...progress, batcher: options.state.batcher.position() },
    });
    options.emit({ type: 'checkpoint', which, dir, step: progress.step });
  };
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
