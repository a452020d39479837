import type { RunSummary, SweepJob } from './sweep-job.js';

/** What an executor reports while it works through a sweep's jobs. */
export interface ExecutorEvents {
  /** A job started on a worker (again, for a retry or a resumed job). */
  onStart(job: SweepJob): void;
  /** A job finished; `summary` came back from the worker. */
  onDone(job: SweepJob, summary: RunSummary): void;
  /** An attempt failed and the job will be tried again. */
  onRetry(job: SweepJob, error: string, attempt: number): void;
  /** A job failed its last allowed attempt (or cannot run at all). */
  onFailed(job: SweepJob, error: string, attempts: number): void;
}

/**
 * Runs a sweep's jobs somewhere: local processes, a Redis queue, ... `execute` settles when every job has
 * finished or failed for good; it rejects only when the executor itself breaks (not for a failed run).
 * A new executor is one file implementing this.
 */
export interface SweepExecutor {
  /** What the progress line calls it: `4 local workers`, `redis://host:6379`. */
  readonly description: string;
  /** Workers that can run at once, when known (for the ETA). */
  readonly parallelism?: number;
  execute(jobs: readonly SweepJob[], events: ExecutorEvents, options: { retries: number }): Promise<void>;
  close(): Promise<void>;
}
