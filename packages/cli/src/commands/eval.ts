import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BackendChoice, selectBackend } from '@mtl2r/backend';
import { UserError } from '@mtl2r/core';
import {
  evaluateFile,
  formatEvaluation,
  loadRunMetrics,
  loadTrainedModel,
  parseTrainConfig,
  type RunMetrics,
  readRunConfig,
  runPaths,
} from '@mtl2r/trainer';
import { Command } from 'commander';
import { evaluateFront, formatFront, frontRows } from '../front.js';
import type { CliIo } from '../io.js';
import { preferenceForModel } from '../preference-flag.js';

interface EvalFlags {
  data: string;
  metrics?: string;
  checkpoint: 'best' | 'last';
  json?: boolean;
  backend: string;
  allowMissingFeatures?: boolean;
  preference?: string;
  front?: string;
  frontMetric: string;
}

/** `mtl2r eval RUN_DIR --data FILE [--metrics ndcg@5,ndcg@10] [--json]`: per-task metrics of a trained model. */
export function evalCommand(io: CliIo): Command {
  return new Command('eval')
    .description('evaluate a trained run on a LETOR file: per-task metrics')
    .argument('<run-dir>', 'a run directory written by mtl2r train')
    .requiredOption(
      '--data <file>',
      'LETOR/svmlight file (plain or .gz) with the same columns as the training data',
    )
    .option('--metrics <list>', "comma-separated metrics (default: the run's evaluation.metrics)")
    .option('--checkpoint <which>', 'best or last', 'best')
    .option('--json', 'print JSON')
    .option(
      '--preference <r1,r2,...>',
      'for a preference-conditioned model (model.conditioning): the trade-off to evaluate at, one number per task',
    )
    .option(
      '--front <rows>',
      "for a preference-conditioned model: evaluate at N preference rows (the sweep's simplex lattice) or 'deepmtl2r' (its ten two-task rows); prints the front and its hypervolume",
    )
    .option('--front-metric <metric>', 'the metric of --front and its hypervolume', 'ndcg@10')
    .option('--backend <name>', 'auto, node-gpu, node, wasm, cpu', 'auto')
    .option(
      '--allow-missing-features',
      'read input features absent from every line of the file as 0 (with a warning) instead of refusing it',
    )
    .action(async (runDirArg: string, flags: EvalFlags) => {
      const runDir = resolve(io.cwd, runDirArg);
      if (flags.front !== undefined && flags.preference !== undefined) {
        throw new UserError('--front evaluates many preferences and --preference one: give only one of them');
      }
      // The run's metrics, with the metric plugins its config loads (so --metrics can name them too).
      const runMetrics =
        flags.metrics === undefined || existsSync(runPaths(runDir).config)
          ? await loadRunMetrics(parseTrainConfig(readRunConfig(runDir)).evaluation.metrics, runDir)
          : undefined;
      const metrics =
        flags.metrics
          ?.split(',')
          .map((m) => m.trim())
          .filter((m) => m !== '') ?? (runMetrics as RunMetrics).specs;
      await selectBackend({ backend: flags.backend as BackendChoice });
      const warn = (message: string) => io.stderr(`warning: ${message}\n`);
      const model = await loadTrainedModel(runDir, flags.checkpoint === 'last' ? 'last' : 'best', {
        onNote: warn,
      });
      try {
        if (flags.front !== undefined) {
          const rows = frontRows(flags.front, model.taskNames.length);
          const front = await evaluateFront(model, resolve(io.cwd, flags.data), flags.frontMetric, rows, {
            allowMissingFeatures: flags.allowMissingFeatures === true,
            onWarning: warn,
            ...(runMetrics === undefined ? {} : { registry: runMetrics.registry }),
          });
          io.stdout(
            flags.json === true
              ? `${JSON.stringify({ model: model.dir, data: resolve(io.cwd, flags.data), tasks: model.taskNames, front }, null, 2)}\n`
              : `${formatFront(front, model.taskNames)}\n`,
          );
          return;
        }
        const preference = preferenceForModel(flags.preference, model);
        const results = await evaluateFile(model, resolve(io.cwd, flags.data), metrics, undefined, {
          allowMissingFeatures: flags.allowMissingFeatures === true,
          onWarning: warn,
          ...(preference === undefined ? {} : { preference }),
          ...(runMetrics === undefined ? {} : { registry: runMetrics.registry }),
        });
        if (flags.json === true) {
          io.stdout(
            `${JSON.stringify({ model: model.dir, data: resolve(io.cwd, flags.data), tasks: results }, null, 2)}\n`,
          );
        } else {
          io.stdout(`${formatEvaluation(results)}\n`);
        }
      } finally {
        model.dispose();
      }
    });
}
