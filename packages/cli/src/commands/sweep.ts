import { availableParallelism } from 'node:os';
import { basename, extname, resolve } from 'node:path';
import { type Registry, UserError } from '@mtl2r/core';
import {
  executeSweep,
  formatSummary,
  LocalExecutor,
  loadSweepFile,
  planSweep,
  QueueExecutor,
  type StrategyCatalog,
  type SweepExecutor,
  SweepRunsFailed,
} from '@mtl2r/sweep';
import { Command, InvalidArgumentError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import type { CliIo } from '../io.js';
import { SWEEP_WORKER_ENTRY } from '../sweep-worker-path.js';
import { installedRegistry } from './train.js';

interface SweepFlags {
  config: string;
  out?: string;
  workers?: number;
  queue?: string;
  queueName?: string;
  set: string[];
}

/** The installed strategies as the sweep planner sees them. */
export function registryCatalog(registry: Registry): StrategyCatalog {
  return {
    ids: () => registry.list().map((plugin) => plugin.id),
    needsPreference: (id) => registry.get(id).needs.preference === true,
  };
}

/** `mtl2r sweep -c sweep.yaml --out sweeps/<name> [--workers N] [--queue redis://...] [--set k=v]`. */
export function sweepCommand(io: CliIo): Command {
  return new Command('sweep')
    .description(
      'train a grid of methods x preference rows x seeds (plus STL baselines) and summarise their Pareto fronts',
    )
    .requiredOption(
      '-c, --config <file>',
      'sweep file (write a starter one with: mtl2r init --sweep sweep.yaml)',
    )
    .option('-o, --out <dir>', 'sweep folder: results.jsonl, runs/ (default: sweeps/<sweep file name>)')
    .option('-w, --workers <n>', 'local worker processes (default: the number of cores)', positiveInteger)
    .option(
      '--queue <url>',
      'run through a BullMQ queue on Redis (redis://host:port); start workers with mtl2r worker',
    )
    .option('--queue-name <name>', 'BullMQ queue name (default mtl2r-sweep)')
    .option(
      '--set <key=value>',
      'override a sweep-file value, e.g. --set base.training.epochs=2 (repeatable)',
      collect,
      [],
    )
    .action(async (flags: SweepFlags) => {
      if (flags.queue !== undefined && flags.workers !== undefined) {
        throw new UserError(
          'give --workers (local processes) or --queue (workers started with mtl2r worker), not both',
        );
      }
      const file = resolve(io.cwd, flags.config);
      const loaded = loadSweepFile(file, flags.set);
      const outDir = resolve(io.cwd, flags.out ?? `sweeps/${basename(file, extname(file))}`);
      const registry = await installedRegistry(io.cwd);
      // Every check (grid, rows, each run's config) happens here, before anything is queued.
      const plan = planSweep(loaded.sweep, {
        sweepDir: loaded.dir,
        outDir,
        catalog: registryCatalog(registry),
      });
      let executor: SweepExecutor;
      if (flags.queue !== undefined) {
        const queue = new QueueExecutor({
          url: flags.queue,
          outDir,
          version: packageJson.version,
          ...(flags.queueName === undefined ? {} : { queueName: flags.queueName }),
        });
        await queue.connect();
        executor = queue;
      } else {
        executor = new LocalExecutor({
          workers: flags.workers ?? availableParallelism(),
          entry: SWEEP_WORKER_ENTRY,
        });
      }
      let outcome: Awaited<ReturnType<typeof executeSweep>>;
      try {
        outcome = await executeSweep(plan, executor, { write: io.stdout, isTty: io.isTty });
      } finally {
        await executor.close();
      }
      io.stdout(`\n${formatSummary(outcome.summary)}`);
      io.stdout(`results: ${outcome.resultsFile}\nreport:  mtl2r report ${flags.out ?? outDir}\n`);
      if (outcome.failures.length > 0) throw new SweepRunsFailed(outcome.failures, outDir);
    });
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
