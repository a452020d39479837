import { resolve } from 'node:path';
import { writeReport } from '@mtl2r/report';
import { Command } from 'commander';
import type { CliIo } from '../io.js';

interface ReportFlags {
  out?: string;
  metric?: string;
}

/** `mtl2r report <run-dir | sweep-dir> [--out DIR] [--metric ndcg@10]`: figures and a self-contained page. */
export function reportCommand(io: CliIo): Command {
  return new Command('report')
    .description(
      'write figures (SVG and PNG) and a self-contained index.html for a run directory or a sweep folder',
    )
    .argument('<dir>', 'a run directory (mtl2r train --out) or a sweep folder (mtl2r sweep --out)')
    .option('-o, --out <dir>', 'where index.html and figures/ go (default: <dir>/report)')
    .option(
      '-m, --metric <name>',
      "per-task metric of a sweep's Pareto fronts (default: the sweep file's summary metric)",
    )
    .action(async (dir: string, flags: ReportFlags) => {
      const report = await writeReport(resolve(io.cwd, dir), {
        ...(flags.out === undefined ? {} : { out: resolve(io.cwd, flags.out) }),
        ...(flags.metric === undefined ? {} : { metric: flags.metric }),
      });
      for (const warning of report.warnings) io.stderr(`warning: ${warning}\n`);
      io.stdout(`${report.kind} report: ${report.page}\n`);
    });
}
