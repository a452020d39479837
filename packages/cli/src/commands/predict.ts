import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type BackendChoice, selectBackend } from '@mtl2r/backend';
import { loadTrainedModel, predictFile } from '@mtl2r/trainer';
import { Command } from 'commander';
import type { CliIo } from '../io.js';

interface PredictFlags {
  data: string;
  out: string;
  checkpoint: 'best' | 'last';
  backend: string;
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
    .option('--backend <name>', 'auto, node-gpu, node, wasm, cpu', 'auto')
    .action(async (runDirArg: string, flags: PredictFlags) => {
      await selectBackend({ backend: flags.backend as BackendChoice });
      const model = await loadTrainedModel(
        resolve(io.cwd, runDirArg),
        flags.checkpoint === 'last' ? 'last' : 'best',
      );
      try {
        const { split, scores } = await predictFile(model, resolve(io.cwd, flags.data));
        const heads = scores.length === 1 ? ['score'] : model.taskNames.map((name) => `score_${name}`);
        const lines = [['qid', 'doc', ...heads].join('\t')];
        split.queryIds.forEach((qid, q) => {
          const start = split.queryOffsets[q] as number;
          const end = split.queryOffsets[q + 1] as number;
          for (let i = start; i < end; i++)
            lines.push([qid, String(i - start), ...scores.map((s) => String(s[i]))].join('\t'));
        });
        const out = resolve(io.cwd, flags.out);
        mkdirSync(dirname(out), { recursive: true });
        const temporary = `${out}.tmp-${process.pid}`;
        writeFileSync(temporary, `${lines.join('\n')}\n`);
        renameSync(temporary, out);
        io.stdout(`wrote ${lines.length - 1} scores for ${split.queryIds.length} queries to ${out}\n`);
      } finally {
        model.dispose();
      }
    });
}
