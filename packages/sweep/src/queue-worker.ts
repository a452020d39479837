import { hostname } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ProcessPool } from './process-pool.js';
import {
  DEFAULT_QUEUE_NAME,
  incompatibility,
  type QueuedRun,
  type WorkerCapabilities,
} from './queue-protocol.js';
import { assertRedisReachable, queueConnection } from './redis-connection.js';
import type { RunSummary } from './sweep-job.js';

export interface QueueWorkerOptions {
  url: string;
  /** Runs at once (one worker process each). */
  concurrency: number;
  /** The module the worker processes run (calls `serveJobs`). */
  entry: string;
  capabilities: WorkerCapabilities;
  queueName?: string;
  /**
   * How long a job's lock lasts without renewal (ms): a killed worker's job is handed on after about
   * this long. Default 30 s (BullMQ's).
   */
  lockDurationMs?: number;
  /** Called as jobs start and end (for the worker's terminal lines). */
  log?: (text: string) => void;
}

/** A running `mtl2r worker`: stop it with `close()`. */
export interface QueueWorker {
  readonly pids: () => number[];
  close(): Promise<void>;
}

/**
 * Takes sweep jobs from the queue, `concurrency` at a time, each in one of as many worker processes. A job
 * this worker cannot run (other mtl2r version, missing plugin) fails at once without retries, with the
 * reason as the job's failure.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  await assertRedisReachable(options.url);
  const connection: Redis = queueConnection(options.url);
  const pool = new ProcessPool({ size: options.concurrency, entry: options.entry });
  const host = hostname();
  const log = options.log ?? (() => {});
  const lockDuration = options.lockDurationMs ?? 30_000;
  const worker = new Worker<QueuedRun, RunSummary>(
    options.queueName ?? DEFAULT_QUEUE_NAME,
    async (queued) => {
      const reason = incompatibility(queued.data, options.capabilities, host);
      if (reason !== undefined) throw new UnrecoverableError(reason);
      const { job, outDir } = queued.data;
      log(`start ${job.method} ${job.runPath} (attempt ${queued.attemptsMade + 1})\n`);
      const summary = await pool.run({ job, runDir: join(outDir, job.runPath) });
      log(`done ${job.runPath} (${summary.wallSeconds.toFixed(1)} s)\n`);
      return summary;
    },
    {
      connection,
      concurrency: options.concurrency,
      lockDuration,
      stalledInterval: Math.max(500, Math.floor(lockDuration / 2)),
      maxStalledCount: 2,
    },
  );
  worker.on('failed', (job, error) => log(`failed ${job?.data.job.runPath ?? '?'}: ${error.message}\n`));
  worker.on('error', (error) => log(`queue error: ${error.message}\n`));
  await worker.waitUntilReady();
  return {
    pids: () => pool.pids(),
    async close() {
      await worker.close();
      await pool.close();
      connection.disconnect();
    },
  };
}
