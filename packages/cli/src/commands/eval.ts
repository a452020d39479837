import { resolve } from 'node:path';
import { type BackendChoice, selectBackend } from '@mtl2r/backend';
import {
  evaluateFile,
  formatEvaluation,
  loadTrainedModel,
  parseTrainConfig,
  readRunConfig,
} from '@mtl2r/trainer';
import { Command } from 'commander';
import type { CliIo } from '../io.js';

interface EvalFlags {
  data: string;
  metrics?: string;
  checkpoint: 'best' | 'last';
  json?: boolean;
  backend: string;
  allowMissingFeatures?: boolean;
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
    .option('--backend <name>', 'auto, node-gpu, node, wasm, cpu', 'auto')
    .option(
      '--allow-missing-features',
      'read input features absent from every line of the file as 0 (with a warning) instead of refusing it',
    )
    .action(async (runDirArg: string, flags: EvalFlags) => {
      const runDir = resolve(io.cwd, runDirArg);
      const metrics =
        flags.metrics
          ?.split(',')
          .map((m) => m.trim())
          .filter((m) => m !== '') ?? parseTrainConfig(readRunConfig(runDir)).evaluation.metrics;
      await selectBackend({ backend: flags.backend as BackendChoice });
      const warn = (message: string) => io.stderr(`warning: ${message}\n`);
      const model = await loadTrainedModel(runDir, flags.checkpoint === 'last' ? 'last' : 'best', {
        onNote: warn,
      });
      try {
        const results = await evaluateFile(model, resolve(io.cwd, flags.data), metrics, undefined, {
          allowMissingFeatures: flags.allowMissingFeatures === true,
          onWarning: warn,
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
