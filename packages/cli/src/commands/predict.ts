import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type BackendChoice, selectBackend } from '@mtl2r/backend';
import { UserError } from '@mtl2r/core';
import { loadTrainedModel, predictFile } from '@mtl2r/trainer';
import { Command } from 'commander';
import type { CliIo } from '../io.js';
import { preferenceForModel } from '../preference-flag.js';

interface PredictFlags {
  data: string;
  out: string;
  checkpoint: 'best' | 'last';
  backend: string;
  allowMissingFeatures?: boolean;
  preference?: string;
}

/**
 * `mtl2r predict RUN_DIR --data FILE --out scores.tsv`: one line per document with its qid, its index
 * within the query (file order) and one score per model head (one column with a shared head).
 */
export function predictCommand(io: CliIo): Command {
  return new Command('predict')
    .description('score a LETOR file with a trained run: qid, document index, one score per head (TSV)')
    .argument('<run-dir>', 'a run directory written by mtl2r train')
    .requiredOption(
      '--data <file>',
      'LETOR/svmlight file (plain or .gz) with the same columns as the training data',
    )
    .requiredOption('--out <file>', 'TSV file to write')
    .option('--checkpoint <which>', 'best or last', 'best')
    .option(
      '--preference <r1,r2,...>',
      'for a preference-conditioned model (model.conditioning): the trade-off to score at, one number per task',
    )
    .option('--backend <name>', 'auto, node-gpu, node, wasm, cpu', 'auto')
    .option(
      '--allow-missing-features',
      'read input features absent from every line of the file as 0 (with a warning) instead of refusing it',
    )
    .action(async (runDirArg: string, flags: PredictFlags) => {
      const out = resolve(io.cwd, flags.out);
      if (existsSync(out) && statSync(out).isDirectory()) {
        throw new UserError(`--out ${out} is a directory: expected the path of the TSV file to write`);
      }
      await selectBackend({ backend: flags.backend as BackendChoice });
      const warn = (message: string) => io.stderr(`warning: ${message}\n`);
      const model = await loadTrainedModel(
        resolve(io.cwd, runDirArg),
        flags.checkpoint === 'last' ? 'last' : 'best',
        { onNote: warn },
      );
      try {
        const preference = preferenceForModel(flags.preference, model);
        const { split, scores } = await predictFile(model, resolve(io.cwd, flags.data), undefined, {
          allowMissingFeatures: flags.allowMissingFeatures === true,
          onWarning: warn,
          ...(preference === undefined ? {} : { preference }),
        });
        const heads = scores.length === 1 ? ['score'] : model.taskNames.map((name) => `score_${name}`);
        const lines = [['qid', 'doc', ...heads].join('\t')];
        split.queryIds.forEach((qid, q) => {
          const start = split.queryOffsets[q] as number;
          const end = split.queryOffsets[q + 1] as number;
          for (let i = start; i < end; i++)
            lines.push([qid, String(i - start), ...scores.map((s) => String(s[i]))].join('\t'));
        });
        mkdirSync(dirname(out), { recursive: true });
        const temporary = `${out}.tmp-${process.pid}`;
        try {
          writeFileSync(temporary, `${lines.join('\n')}\n`);
          renameSync(temporary, out);
        } catch (error) {
          rmSync(temporary, { force: true }); // a full disk must not leave half a file behind
          const errno = error as NodeJS.ErrnoException;
          if (typeof errno.code === 'string' && errno.path === undefined) errno.path = out;
          throw error;
        }
        io.stdout(`wrote ${lines.length - 1} scores for ${split.queryIds.length} queries to ${out}\n`);
      } finally {
        model.dispose();
      }
    });
}
