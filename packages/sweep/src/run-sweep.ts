import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '@mtl2r/core';
import type { SweepExecutor } from './executor.js';
import { expandGrid, type StrategyCatalog } from './expand-grid.js';
import { type FailureLine, JsonLinesIndex, type ResultLine } from './results-file.js';
import { runDeltaM, type SweepSummary, summariseSweep } from './summarise.js';
import type { SweepFile } from './sweep-file.js';
import type { SweepJob } from './sweep-job.js';
import { SweepProgress } from './sweep-progress.js';

/** Exit code of a sweep in which some runs failed for good (the others are recorded). */
export const FAILED_RUNS_EXIT_CODE = 3;

export interface PlannedSweep {
  sweep: SweepFile;
  jobs: SweepJob[];
  outDir: string;
}

/** Expands a loaded sweep file into jobs under `outDir`; every check happens here, before anything runs. */
export function planSweep(
  sweep: SweepFile,
  options: { sweepDir: string; outDir: string; catalog: StrategyCatalog },
): PlannedSweep {
  const outDir = resolve(options.outDir);
  return { sweep, outDir, jobs: expandGrid(sweep, { ...options, outDir }) };
}

export interface SweepOutcome {
  summary: SweepSummary;
  /** Runs trained (or resumed) by this invocation. */
  trained: number;
  /** Runs skipped because results.jsonl already had them. */
  skipped: number;
  failures: FailureLine[];
  resultsFile: string;
}

/**
 * Runs the jobs results.jsonl does not hold yet on `executor`, appending each finished run as it comes
 * back, then summarises every recorded run. A rerun skips finished runs and resumes interrupted ones.
 * Throws (exit 3) after the summary is computed when some runs failed every attempt.
 */
export async function executeSweep(
  plan: PlannedSweep,
  executor: SweepExecutor,
  display: { write: (text: string) => void; isTty: boolean },
): Promise<SweepOutcome> {
  mkdirSync(plan.outDir, { recursive: true });
  writeAtomic(
    join(plan.outDir, 'sweep.json'),
    `${JSON.stringify({ sweep: plan.sweep, runs: plan.jobs.map(({ config: _c, ...rest }) => rest) }, null, 2)}\n`,
  );
  const results = new JsonLinesIndex<ResultLine>(join(plan.outDir, 'results.jsonl'));
  const todo = plan.jobs.filter((job) => !results.has(job.id));
  const failures: FailureLine[] = [];
  const split = plan.sweep.summary.split;
  display.write(
    `sweep: ${plan.jobs.length} runs, ${plan.jobs.length - todo.length} already done, ${todo.length} to run on ${executor.description}\n`,
  );
  const progress = new SweepProgress(todo.length, {
    isTty: display.isTty,
    write: display.write,
    ...(executor.parallelism === undefined ? {} : { parallelism: executor.parallelism }),
  });
  const label = (job: SweepJob) =>
    `${job.method}${job.preference ? ` [${job.preference.join(', ')}]` : ''}${job.epsilon !== undefined ? ` eps ${JSON.stringify(job.epsilon)}` : ''} seed ${job.seed} (${job.runPath})`;
  try {
    await executor.execute(
      todo,
      {
        onStart: () => progress.started(),
        onDone: (job, summary) => {
          const { config: _config, runDir: _abs, runPath, ...coordinates } = job;
          const line: ResultLine = {
            ...coordinates,
            ...summary,
            id: job.id,
            runDir: runPath,
            finishedAt: new Date().toISOString(),
          };
          const delta = job.baselineTask === undefined ? runDeltaM(line, results.all(), split) : undefined;
          if (delta !== undefined) line.deltaM = delta;
          results.append(line);
          progress.finished(label(job), summary.wallSeconds);
        },
        onRetry: (job, error) => progress.retried(label(job), error),
        onFailed: (job, error, attempts) => {
          const { config: _config, runDir: _abs, runPath, ...coordinates } = job;
          failures.push({
            ...coordinates,
            id: job.id,
            runDir: runPath,
            error,
            attempts,
            failedAt: new Date().toISOString(),
          });
          progress.failed(label(job), error);
        },
      },
      { retries: plan.sweep.retries },
    );
  } finally {
    progress.stop();
  }
  const failuresFile = join(plan.outDir, 'failures.jsonl');
  writeAtomic(failuresFile, failures.map((f) => `${JSON.stringify(f)}\n`).join(''));
  const recorded = results.all();
  const summary = summariseSweep(recorded, plan.sweep.summary.metric, split);
  return {
    summary,
    trained: todo.length - failures.length,
    skipped: plan.jobs.length - todo.length,
    failures,
    resultsFile: results.file,
  };
}

/** Thrown after a sweep in which runs failed: the CLI exits 3 and names failures.jsonl. */
export class SweepRunsFailed extends UserError {
  override name = 'SweepRunsFailed';

  constructor(failures: readonly FailureLine[], outDir: string) {
    super(
      `${failures.length} run(s) failed: ${failures.map((f) => `${f.runDir} (${f.error.split('\n')[0]})`).join('; ')}`,
      {
        hint: `details in ${join(outDir, 'failures.jsonl')} and each run's sweep.log; rerun the same command to retry them`,
        exitCode: FAILED_RUNS_EXIT_CODE,
      },
    );
  }
}

function writeAtomic(file: string, text: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
