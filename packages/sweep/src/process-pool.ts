import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ChildMessage, RunMessage } from './job-child.js';
import type { RunRequest } from './run-training-job.js';
import type { RunSummary } from './sweep-job.js';

/** A run failed inside a worker process (its error), or the process died under it. */
export class RunFailedError extends Error {
  override name = 'RunFailedError';
}

interface Slot {
  child: ChildProcess;
  ready: Promise<void>;
  dead: boolean;
  stderrTail: string;
  pending?: { id: string; resolve: (summary: RunSummary) => void; reject: (error: Error) => void };
}

export interface ProcessPoolOptions {
  /** Worker processes (each runs one job at a time). */
  size: number;
  /** A module that calls `serveJobs` (`.ts` sources run through tsx). */
  entry: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * A fixed number of long-lived worker processes, each training one run at a time: tfjs is single-threaded
 * per process, so parallel runs need processes. A process that dies fails its current run and is replaced
 * on the next one.
 */
export class ProcessPool {
  private readonly slots: (Slot | undefined)[];
  private readonly busy: boolean[];
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: ProcessPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new RangeError(`a process pool needs at least one worker, got ${options.size}`);
    }
    this.slots = new Array<Slot | undefined>(options.size).fill(undefined);
    this.busy = new Array<boolean>(options.size).fill(false);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Process ids of the live workers (for tests and diagnostics). */
  pids(): number[] {
    return this.slots.flatMap((slot) => (slot?.child.pid === undefined ? [] : [slot.child.pid]));
  }

  /** Runs a job on the first free worker, waiting for one; `onStart` is called when it starts. */
  async run(request: RunRequest, onStart?: () => void): Promise<RunSummary> {
    const index = await this.acquire();
    try {
      onStart?.();
      const existing = this.slots[index];
      const slot = existing === undefined || existing.dead ? this.spawn(index) : existing;
      await slot.ready;
      return await new Promise<RunSummary>((resolve, reject) => {
        slot.pending = { id: request.job.id, resolve, reject };
        slot.child.send({ type: 'run', request } satisfies RunMessage);
      });
    } finally {
      const slot = this.slots[index];
      if (slot !== undefined) delete slot.pending;
      this.busy[index] = false;
      this.waiting.shift()?.();
    }
  }

  /** Stops every worker process and waits for them to exit. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot === undefined || slot.dead) return;
        const exited = new Promise<void>((resolve) => slot.child.once('exit', () => resolve()));
        slot.child.kill('SIGTERM');
        await exited;
      }),
    );
  }

  private async acquire(): Promise<number> {
    for (;;) {
      if (this.closed) throw new RunFailedError('the process pool is closed');
      const free = this.busy.indexOf(false);
      if (free >= 0) {
        this.busy[free] = true;
        return free;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private spawn(index: number): Slot {
    const child = fork(this.options.entry, [], {
      execArgv: entryExecArgv(this.options.entry),
      env: { ...process.env, ...this.options.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let markReady: () => void = () => {};
    let markDead: (error: Error) => void = () => {};
    const slot: Slot = {
      child,
      dead: false,
      stderrTail: '',
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        markDead = reject;
      }),
    };
    slot.ready.catch(() => {});
    child.stderr?.on('data', (chunk: Buffer) => {
      slot.stderrTail = (slot.stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') markReady();
      else if (slot.pending?.id === message.id) {
        if (message.type === 'done') slot.pending.resolve(message.summary);
        else slot.pending.reject(new RunFailedError(message.error));
      }
    });
    child.on('exit', (code, signal) => {
      const error = new RunFailedError(
        `worker process ${child.pid} exited (${signal ?? `code ${code}`})${slot.pending === undefined ? '' : ` while training run ${slot.pending.id}`}${slot.stderrTail.trim() === '' ? '' : `: ${slot.stderrTail.trim().split('\n').slice(-3).join(' | ')}`}`,
      );
      slot.dead = true;
      markDead(error);
      slot.pending?.reject(error);
    });
    this.slots[index] = slot;
    return slot;
  }
}

/** Node flags for a worker module: TypeScript sources (development, tests) load through tsx. */
function entryExecArgv(entry: string): string[] {
  if (!entry.endsWith('.ts')) return [];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--conditions=@mtl2r/source', '--import', tsx];
}
