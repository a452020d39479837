import { appendFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type BackendChoice, selectBackend } from '@mtl2r/backend';
import type { Registry } from '@mtl2r/core';
import { loadTrainedModel, progressReporter, runPaths, train } from '@mtl2r/trainer';
import type { RunSummary, SweepJob } from './sweep-job.js';

/** The per-run log a sweep writes next to the run's metrics (not to the terminal). */
export const RUN_LOG = 'sweep.log';

/** What a worker receives: the job, and the run directory as this worker sees it. */
export interface RunRequest {
  job: SweepJob;
  runDir: string;
}

/**
 * Trains one sweep run in this process in its own run directory: fresh, or resumed from `checkpoints/last`
 * when an earlier attempt left one (a finished run resumes straight to its test evaluation). A directory
 * left without any checkpoint is started over. The log goes to `<run>/sweep.log`.
 */
export async function runTrainingJob(request: RunRequest, registry: Registry): Promise<RunSummary> {
  const started = Date.now();
  const paths = runPaths(request.runDir);
  const resume = existsSync(paths.config) && existsSync(paths.last);
  if (!resume && existsSync(paths.dir)) rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.dir, { recursive: true });
  const log = join(paths.dir, RUN_LOG);
  const write = (text: string) => appendFileSync(log, text);
  write(
    `${new Date().toISOString()} ${resume ? 'resuming' : 'starting'} run ${request.job.id} on ${hostname()} (pid ${process.pid})\n`,
  );
  const backend = await selectBackend({ backend: request.job.config.backend as BackendChoice });
  write(`backend ${backend.name} (${backend.reason})\n`);
  const result = await train({
    config: request.job.config,
    registry,
    runDir: paths.dir,
    resume,
    onEvent: progressReporter({ write, isTty: false, quiet: false }),
  });
  if (result.status === 'interrupted') throw new Error(`run ${request.job.id} was interrupted`);
  const model = await loadTrainedModel(paths.dir);
  const parameters = model.ranker.parameterCount();
  model.ranker.dispose();
  write(`${new Date().toISOString()} ${result.status}\n`);
  return {
    id: request.job.id,
    status: result.status,
    ...(result.validation === undefined ? {} : { validation: result.validation }),
    ...(result.test === undefined ? {} : { test: result.test }),
    parameters,
    steps: result.step,
    epochs: result.epochs,
    wallSeconds: (Date.now() - started) / 1000,
    resumed: resume,
    host: hostname(),
  };
}
