import { availableParallelism } from 'node:os';
import { startQueueWorker } from '@mtl2r/sweep';
import { Command, InvalidArgumentError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import type { CliIo } from '../io.js';
import { SWEEP_WORKER_ENTRY } from '../sweep-worker-path.js';
import { installedRegistry } from './train.js';

interface WorkerFlags {
  queue: string;
  concurrency?: number;
  queueName?: string;
  lockSeconds: number;
}

/** `mtl2r worker --queue redis://... [--concurrency N]`: takes sweep jobs until SIGINT/SIGTERM. */
export function workerCommand(io: CliIo): Command {
  return new Command('worker')
    .description('take sweep runs from a BullMQ queue on Redis (started by mtl2r sweep --queue)')
    .requiredOption('--queue <url>', 'the Redis URL the sweep uses (redis://host:port)')
    .option(
      '--concurrency <n>',
      'runs at once, one process each (default: the number of cores)',
      positiveInteger,
    )
    .option('--queue-name <name>', 'BullMQ queue name (default mtl2r-sweep)')
    .option(
      '--lock-seconds <s>',
      "a killed worker's run is handed to another worker after about this long",
      positiveNumber,
      30,
    )
    .action(async (flags: WorkerFlags) => {
      const registry = await installedRegistry(io.cwd);
      const concurrency = flags.concurrency ?? availableParallelism();
      const worker = await startQueueWorker({
        url: flags.queue,
        concurrency,
        entry: SWEEP_WORKER_ENTRY,
        capabilities: { version: packageJson.version, strategies: registry.list().map((p) => p.id) },
        lockDurationMs: flags.lockSeconds * 1000,
        ...(flags.queueName === undefined ? {} : { queueName: flags.queueName }),
        log: io.stdout,
      });
      io.stdout(`worker: ${concurrency} process(es) on ${flags.queue}; Ctrl-C to stop\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          io.stdout('stopping: waiting for running jobs to finish\n');
          void worker.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError(`expected a positive number, got '${value}'`);
  return n;
}
