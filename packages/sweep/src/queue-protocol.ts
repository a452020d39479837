import type { SweepJob } from './sweep-job.js';

/** The BullMQ queue sweeps use unless told otherwise. */
export const DEFAULT_QUEUE_NAME = 'mtl2r-sweep';

/** What a worker can run: checked against each job before it starts. */
export interface WorkerCapabilities {
  /** The mtl2r version of the worker (the CLI's version). */
  version: string;
  /** Installed strategy ids. */
  strategies: readonly string[];
}

/** A queued job's data. */
export interface QueuedRun {
  job: SweepJob;
  /** The sweep folder as the coordinator sees it; a worker writes to `<outDir>/<job.runPath>`. */
  outDir: string;
  /** The mtl2r version that planned the sweep. */
  version: string;
}

/** Why `capabilities` cannot run `run`, or undefined when it can. */
export function incompatibility(
  run: QueuedRun,
  capabilities: WorkerCapabilities,
  host: string,
): string | undefined {
  if (run.version !== capabilities.version) {
    return `worker on ${host} runs mtl2r ${capabilities.version}, the sweep was planned with ${run.version}: install the same version`;
  }
  if (!capabilities.strategies.includes(run.job.strategy)) {
    return `worker on ${host} has no '${run.job.strategy}' strategy plugin (installed: ${[...capabilities.strategies].sort().join(', ')})`;
  }
  return undefined;
}
