import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '@mtl2r/core';
import type { ReportContent } from './figure.js';
import { reportHtml } from './html-page.js';
import { renderFigure } from './render-figure.js';
import { isRunDirectory, readRunLog } from './run-log.js';
import { runReportContent } from './run-report.js';
import { isSweepFolder, readSweepFolder } from './sweep-folder.js';
import { sweepReportContent } from './sweep-report.js';

export interface ReportOptions {
  /** Where index.html and figures/ go (default `<dir>/report`). */
  out?: string;
  /** The sweep's per-task metric (default: the sweep file's summary metric). */
  metric?: string;
}

export interface WrittenReport {
  kind: 'run' | 'sweep';
  /** Absolute path of index.html. */
  page: string;
  /** Absolute paths of the SVG and PNG files. */
  figureFiles: string[];
  warnings: string[];
}

/** Reads a run directory or a sweep folder and builds its report content (no files written). */
export function reportContent(dir: string, options: Pick<ReportOptions, 'metric'> = {}): ReportContent {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UserError(`${root}: no such directory`, { hint: 'give a run directory or a sweep folder' });
  }
  if (isSweepFolder(root)) return sweepReportContent(readSweepFolder(root), options.metric);
  if (isRunDirectory(root)) return runReportContent(readRunLog(root));
  throw new UserError(
    `${root} is neither a run directory (no metrics.jsonl) nor a sweep folder (no sweep.json or results.jsonl)`,
    { hint: 'give the --out folder of mtl2r train or of mtl2r sweep' },
  );
}

/** Writes `index.html` and `figures/<id>.svg|png` for a run or a sweep. */
export async function writeReport(dir: string, options: ReportOptions = {}): Promise<WrittenReport> {
  const content = reportContent(dir, options);
  const out = resolve(options.out ?? join(resolve(dir), 'report'));
  const figuresDir = join(out, 'figures');
  mkdirSync(figuresDir, { recursive: true });
  const rendered = [];
  const figureFiles: string[] = [];
  for (const figure of content.figures) {
    const drawn = await renderFigure(figure);
    rendered.push(drawn);
    const stem = join(figuresDir, figure.id);
    writeFileSync(`${stem}.svg`, drawn.svg);
    writeFileSync(`${stem}.png`, drawn.png);
    figureFiles.push(`${stem}.svg`, `${stem}.png`);
  }
  const page = join(out, 'index.html');
  writeFileSync(page, reportHtml(content, rendered));
  return { kind: content.kind, page, figureFiles, warnings: content.warnings };
}
