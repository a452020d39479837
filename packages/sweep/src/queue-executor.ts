import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ExecutorEvents, SweepExecutor } from './executor.js';
import { DEFAULT_QUEUE_NAME, type QueuedRun } from './queue-protocol.js';
import { assertRedisReachable, queueConnection } from './redis-connection.js';
import { runId } from './run-id.js';
import type { RunSummary, SweepJob } from './sweep-job.js';

export interface QueueExecutorOptions {
  url: string;
  /** The sweep folder (as this machine sees it). */
  outDir: string;
  /** mtl2r version the workers must run. */
  version: string;
  queueName?: string;
  /** How often job states are read (ms). */
  pollMs?: number;
}

/**
 * Runs a sweep through a BullMQ queue on Redis: one queue job per run (job id = sweep + run id, so
 * re-enqueueing is a no-op), `attempts` = retries + 1, results back as the job's return value. Any number
 * of `mtl2r worker` processes take the jobs; a killed worker's job stalls and BullMQ hands it to another.
 */
export class QueueExecutor implements SweepExecutor {
  readonly description: string;
  private connection: Redis | undefined;
  private queue: Queue | undefined;

  constructor(private readonly options: QueueExecutorOptions) {
    this.description = `queue ${options.queueName ?? DEFAULT_QUEUE_NAME} on ${options.url}`;
  }

  /** Fails fast (exit 2) when Redis cannot be reached. */
  async connect(): Promise<void> {
    await assertRedisReachable(this.options.url);
    this.connection = queueConnection(this.options.url);
    this.queue = new Queue(this.options.queueName ?? DEFAULT_QUEUE_NAME, { connection: this.connection });
  }

  async execute(
    jobs: readonly SweepJob[],
    events: ExecutorEvents,
    options: { retries: number },
  ): Promise<void> {
    if (this.queue === undefined) await this.connect();
    const queue = this.queue as Queue<QueuedRun, RunSummary>;
    const sweepKey = runId(this.options.outDir).slice(0, 8);
    const pending = new Map<string, { job: SweepJob; started: boolean; attempts: number }>();
    for (const job of jobs) {
      const jobId = `${sweepKey}-${job.id}`;
      const existing = await Job.fromId<QueuedRun, RunSummary>(queue, jobId);
      // A job that failed for good in an earlier sweep command is tried afresh; others are kept.
      if (existing !== undefined && (await existing.getState()) === 'failed') await existing.remove();
      if (existing === undefined || (await Job.fromId(queue, jobId)) === undefined) {
        await queue.add(
          'run',
          { job, outDir: this.options.outDir, version: this.options.version },
          { jobId, attempts: options.retries + 1, removeOnComplete: false, removeOnFail: false },
        );
      }
      pending.set(jobId, { job, started: false, attempts: 0 });
    }
    while (pending.size > 0) {
      for (const [jobId, entry] of pending) {
        const queued = await Job.fromId<QueuedRun, RunSummary>(queue, jobId);
        if (queued === undefined) {
          events.onFailed(
            entry.job,
            `queue job ${jobId} disappeared from ${this.options.url}`,
            entry.attempts,
          );
          pending.delete(jobId);
          continue;
        }
        const state = await queued.getState();
        // The job hash was read before its state: when it has just finished, read it again so its
        // return value or failure reason is there.
        const settled =
          state === 'completed' || state === 'failed'
            ? ((await Job.fromId<QueuedRun, RunSummary>(queue, jobId)) ?? queued)
            : queued;
        if (queued.attemptsMade > entry.attempts && state !== 'failed' && state !== 'completed') {
          entry.attempts = queued.attemptsMade;
          if (entry.started) events.onRetry(entry.job, queued.failedReason, entry.attempts);
          entry.started = false;
        }
        if ((state === 'active' || state === 'completed' || state === 'failed') && !entry.started) {
          entry.started = true;
          events.onStart(entry.job);
        }
        if (state === 'completed') {
          events.onDone(entry.job, settled.returnvalue);
          pending.delete(jobId);
        } else if (state === 'failed') {
          events.onFailed(entry.job, settled.failedReason, settled.attemptsMade);
          pending.delete(jobId);
        }
      }
      if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 300));
    }
  }

  async close(): Promise<void> {
    await this.queue?.close();
    this.connection?.disconnect();
  }
}
