import { basename, dirname, extname, resolve } from 'node:path';
import { type BackendChoice, selectBackend } from '@mtl2r/backend';
import { Registry, UserError } from '@mtl2r/core';
import {
  applyOverrides,
  formatEvaluation,
  parseTrainConfig,
  progressReporter,
  readConfigFile,
  readRunConfig,
  type TrainResult,
  train,
} from '@mtl2r/trainer';
import { Command } from 'commander';
import { installedStrategies } from '../installed-strategies.js';
import type { CliIo } from '../io.js';

/** Exit code of a run stopped by SIGINT after writing `last/` (128 + SIGINT, as shells report it). */
export const INTERRUPTED_EXIT_CODE = 130;
/** Exit code of a run stopped by SIGTERM (what `kill` and job schedulers send) after writing `last/`. */
export const TERMINATED_EXIT_CODE = 143;

type StopSignal = 'SIGINT' | 'SIGTERM';
const exitCodes: Record<StopSignal, number> = {
  SIGINT: INTERRUPTED_EXIT_CODE,
  SIGTERM: TERMINATED_EXIT_CODE,
};

/** Training was interrupted on purpose: `last/` is written; the CLI exits 130 (SIGINT) or 143 (SIGTERM). */
export class TrainingInterrupted extends UserError {
  override name = 'TrainingInterrupted';

  constructor(result: TrainResult, signal: StopSignal = 'SIGINT') {
    super(`interrupted by ${signal} at step ${result.step}: wrote ${result.runDir}/checkpoints/last`, {
      hint: `continue with: mtl2r train --resume ${result.runDir}`,
      // not a user mistake: shells expect 128 + the signal number after an interrupt
      exitCode: exitCodes[signal],
    });
  }
}

interface TrainFlags {
  config?: string;
  set: string[];
  resume?: string;
  out?: string;
  backend?: string;
  quiet?: boolean;
}

/** Every strategy plugin installed where the CLI or the working directory can see it. */
export async function installedRegistry(cwd: string): Promise<Registry> {
  const registry = new Registry();
  for (const { plugin } of await installedStrategies(cwd)) if (plugin !== undefined) registry.use(plugin);
  return registry;
}

/** `mtl2r train -c config.yaml [--set key=value ...] [--resume RUN_DIR] [--out DIR] [--quiet]`. */
export function trainCommand(io: CliIo): Command {
  return new Command('train')
    .description('train a multi-task ranker from a config file (JSON or YAML)')
    .option('-c, --config <file>', 'config file (write a starter one with: mtl2r init)')
    .option(
      '--set <key=value>',
      'override a config value, e.g. --set training.epochs=5 (repeatable)',
      collect,
      [],
    )
    .option('--resume <run-dir>', 'continue an interrupted run from its checkpoints/last')
    .option('-o, --out <dir>', 'run directory (default: runs/<config name>-<time>)')
    .option('--backend <name>', 'override the config: auto, node-gpu, node, wasm, cpu')
    .option('-q, --quiet', 'print only the final test metrics')
    .action(async (flags: TrainFlags) => {
      if ((flags.config === undefined) === (flags.resume === undefined)) {
        throw new UserError('give exactly one of -c/--config FILE (a new run) or --resume RUN_DIR', {
          hint: 'mtl2r init writes a starter config',
        });
      }
      const resuming = flags.resume !== undefined;
      const configFile = resuming ? undefined : resolve(io.cwd, flags.config as string);
      const runDir = resuming
        ? resolve(io.cwd, flags.resume as string)
        : resolve(io.cwd, flags.out ?? defaultRunDir(configFile as string));
      const raw = resuming ? readRunConfig(runDir) : readConfigFile(configFile as string);
      if (flags.backend !== undefined) flags.set.push(`backend=${flags.backend}`);
      const config = parseTrainConfig(applyOverrides(raw, flags.set), configFile ?? `${runDir}/config.json`);
      const backend = await selectBackend({ backend: config.backend as BackendChoice });
      if (flags.quiet !== true) io.stdout(`backend ${backend.name} (${backend.reason})\nrun ${runDir}\n`);

      const controller = new AbortController();
      let stoppedBy: StopSignal | undefined;
      const onSignal = (signal: StopSignal) => {
        if (stoppedBy !== undefined) {
          // A second signal: stop now; the previous checkpoint stays loadable (checkpoints are atomic).
          io.stderr(`second ${signal}: exiting without a new checkpoint\n`);
          process.exit(exitCodes[signal]);
        }
        stoppedBy = signal;
        io.stderr(
          `\n${signal}: finishing the batch, then writing checkpoints/last (${signal === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to quit now)\n`,
        );
        controller.abort();
      };
      const handlers = (['SIGINT', 'SIGTERM'] as const).map(
        (signal) => [signal, () => onSignal(signal)] as const,
      );
      for (const [signal, handler] of handlers) process.on(signal, handler);
      let result: TrainResult;
      try {
        result = await train({
          config,
          configDir: configFile === undefined ? io.cwd : dirname(configFile),
          registry: await installedRegistry(io.cwd),
          runDir,
          resume: resuming,
          signal: controller.signal,
          onEvent: progressReporter({
            write: io.stdout,
            warn: io.stderr,
            isTty: io.isTty,
            quiet: flags.quiet === true,
          }),
        });
      } finally {
        for (const [signal, handler] of handlers) process.off(signal, handler);
      }
      if (result.status === 'interrupted') throw new TrainingInterrupted(result, stoppedBy);
      if (flags.quiet !== true) {
        const best =
          result.best === null
            ? ''
            : `, best epoch ${result.best.epoch + 1} (${result.best.value.toFixed(4)})`;
        io.stdout(`${result.status} after ${result.epochs} epoch(s), ${result.step} steps${best}\n`);
        if (result.test === undefined && result.validation !== undefined)
          io.stdout(`validation\n${formatEvaluation(result.validation)}\n`);
        io.stdout(`run directory: ${result.runDir}\n`);
        io.stdout(`report: mtl2r report ${result.runDir}\n`);
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function defaultRunDir(configFile: string): string {
  const name = basename(configFile, extname(configFile));
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `runs/${name}-${stamp}`;
}
