import type { ExecutorEvents, SweepExecutor } from './executor.js';
import { ProcessPool } from './process-pool.js';
import type { SweepJob } from './sweep-job.js';

/** Runs a sweep on `workers` local processes (each an ordinary run directory under the sweep folder). */
export class LocalExecutor implements SweepExecutor {
  readonly description: string;
  private readonly pool: ProcessPool;

  constructor(options: { workers: number; entry: string; env?: NodeJS.ProcessEnv }) {
    this.pool = new ProcessPool({
      size: options.workers,
      entry: options.entry,
      ...(options.env ? { env: options.env } : {}),
    });
    this.description = `${options.workers} local worker${options.workers === 1 ? '' : 's'}`;
  }

  get parallelism(): number {
    return this.pool.size;
  }

  /** Process ids of the live worker processes. */
  pids(): number[] {
    return this.pool.pids();
  }

  async execute(
    jobs: readonly SweepJob[],
    events: ExecutorEvents,
    options: { retries: number },
  ): Promise<void> {
    await Promise.all(
      jobs.map(async (job) => {
        for (let attempt = 1; ; attempt++) {
          try {
            const summary = await this.pool.run({ job, runDir: job.runDir }, () => events.onStart(job));
            events.onDone(job, summary);
            return;
          } catch (error) {
            const message = (error as Error).message;
            if (attempt > options.retries) {
              events.onFailed(job, message, attempt);
              return;
            }
            events.onRetry(job, message, attempt);
          }
        }
      }),
    );
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
