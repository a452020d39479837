import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '@mtl2r/core';
import { type InspectReport, inspectSvmlight, writeSynthMslr } from '@mtl2r/data';
import { Command } from 'commander';
import { type CliIo, processIo } from '../io.js';
import { formatTable } from '../table.js';

/** `mtl2r data inspect FILE` and `mtl2r data synth --queries N --out FILE`. */
export function dataCommand(io: CliIo = processIo): Command {
  const data = new Command('data').description('inspect and generate LETOR/svmlight ranking data');

  data
    .command('inspect')
    .description(
      'summarise a LETOR/svmlight file (plain or .gz): queries, documents, features, list lengths, label histograms',
    )
    .argument('<file>', 'the data file')
    .option(
      '--label-features <ids>',
      'comma-separated 1-based feature ids to summarise like labels, e.g. 132,133,134,136',
    )
    .option('--feature-count <n>', "the file's feature count (default: the largest id seen)")
    .option('--regroup', 'accept a qid that reappears after another one')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        file: string,
        options: { labelFeatures?: string; featureCount?: string; regroup?: boolean; json?: boolean },
      ) => {
        const path = resolve(io.cwd, file);
        const inspectOptions: Parameters<typeof inspectSvmlight>[1] = { regroup: options.regroup === true };
        if (options.labelFeatures !== undefined)
          inspectOptions.labelFeatures = integerList('--label-features', options.labelFeatures);
        if (options.featureCount !== undefined)
          inspectOptions.featureCount = positiveInteger('--feature-count', options.featureCount);
        if (io.isTty) {
          inspectOptions.onProgress = ({ bytesRead, totalBytes }) =>
            io.stderr(`\rreading ${((100 * bytesRead) / Math.max(1, totalBytes)).toFixed(0)}%`);
        }
        const report = await inspectSvmlight(path, inspectOptions);
        if (io.isTty) io.stderr('\r            \r');
        io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      },
    );

  data
    .command('synth')
    .description(
      'write deterministic MSLR-shaped data (136 features; heavy-tailed click/dwell columns; graded labels)',
    )
    .option('--queries <n>', 'number of queries')
    .option('--out <file>', 'output file (.gz for gzip)')
    .option('--seed <n>', 'random seed', '1')
    .option('--mean-docs <n>', 'typical documents per query', '120')
    .option('--min-docs <n>', 'fewest documents per query', '1')
    .option('--max-docs <n>', 'most documents per query', '400')
    .action(
      async (options: {
        queries?: string;
        out?: string;
        seed: string;
        meanDocs: string;
        minDocs: string;
        maxDocs: string;
      }) => {
        if (options.queries === undefined)
          throw new UserError('data synth: --queries <n> is required (the number of queries to generate)');
        if (options.out === undefined)
          throw new UserError('data synth: --out <file> is required (where to write; .gz for gzip)');
        const out = resolve(io.cwd, options.out);
        const result = await writeSynthMslr(out, {
          queries: positiveInteger('--queries', options.queries),
          seed: integer('--seed', options.seed),
          meanDocs: positiveInteger('--mean-docs', options.meanDocs),
          minDocs: positiveInteger('--min-docs', options.minDocs),
          maxDocs: positiveInteger('--max-docs', options.maxDocs),
        });
        const { size } = await stat(out);
        io.stdout(
          `wrote ${out}: ${result.queries} queries, ${result.documents} documents, 136 features, ${megabytes(size)} MB on disk\n`,
        );
      },
    );

  // Subcommands made before the program configures `data` do not inherit its settings: usage errors
  // must throw (the program maps them to exit code 2) and print through io, as everywhere else.
  for (const command of [data, ...data.commands]) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  }
  return data;
}

function integer(flag: string, text: string): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value))
    throw new UserError(`${flag}: expected an integer, got '${text}'`);
  return value;
}

function positiveInteger(flag: string, text: string): number {
  const value = integer(flag, text);
  if (value < 1) throw new UserError(`${flag}: expected an integer >= 1, got '${text}'`);
  return value;
}

function integerList(flag: string, text: string): number[] {
  return text.split(',').map((part) => positiveInteger(flag, part.trim()));
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 1e6 ? 3 : 1);
}

function number(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toPrecision(4);
}

/** The plain-text report: a few aligned lines, then one table per histogram. */
export function formatReport(report: InspectReport): string {
  const lines = [
    `file         ${report.file} (${megabytes(report.fileBytes)} MB)`,
    `queries      ${number(report.queries)}`,
    `documents    ${number(report.documents)}`,
    `features     ${report.featureCount}${report.constantFeatures.length > 0 ? ` (constant: ${report.constantFeatures.join(', ')})` : ''}`,
    `docs/query   min ${report.listLength.min}  p50 ${report.listLength.p50}  p90 ${report.listLength.p90}  p99 ${report.listLength.p99}  max ${report.listLength.max}  mean ${report.listLength.mean.toFixed(1)}`,
    `no relevant  ${report.queriesWithoutRelevant} queries (${((100 * report.queriesWithoutRelevant) / report.queries).toFixed(1)}%) have no label > 0`,
  ];
  for (const { name, histogram } of report.histograms) {
    const total = histogram.bins.reduce((sum, bin) => sum + bin.count, 0);
    const rows = histogram.bins.map((bin) => [
      'value' in bin ? number(bin.value) : `${number(bin.from)} .. ${number(bin.to)}`,
      String(bin.count),
      `${((100 * bin.count) / total).toFixed(1)}%`,
    ]);
    lines.push(
      '',
      `${name} histogram`,
      formatTable([histogram.kind === 'values' ? 'value' : 'range (deciles)', 'count', 'share'], rows),
    );
  }
  return `${lines.join('\n')}\n`;
}
