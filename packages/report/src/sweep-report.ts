import { UserError } from '@mtl2r/core';
import { formatMetric, parseMetric } from '@mtl2r/metrics';
import { formatSummary, runDeltaM, type SweepSummary, splitResults, summariseSweep } from '@mtl2r/sweep';
import { cell, type ReportContent, type Table } from './figure.js';
import { type ParetoPoint, paretoPoints, runLabel } from './pareto-data.js';
import { hypervolumeFigure, paretoFigures } from './sweep-figures.js';
import type { SweepFolder } from './sweep-folder.js';

/**
 * The report of a sweep: Pareto fronts, hypervolume, the summary `mtl2r sweep` prints, per-run metrics and
 * delta_m. Failed runs are listed, never plotted; a sweep without any finished run cannot be reported.
 */
export function sweepReportContent(folder: SweepFolder, metricOption?: string): ReportContent {
  const { results, failures } = folder;
  const metric = reportMetric(metricOption ?? folder.summary.metric, results);
  const split = folder.summary.split;
  if (results.length === 0) {
    throw new UserError(
      failures.length > 0
        ? `${folder.dir}: every recorded run failed (${failures.length} in failures.jsonl), nothing to plot`
        : `${folder.dir}: the sweep has no finished run yet (results.jsonl is empty or missing)`,
      {
        hint:
          failures.length > 0
            ? 'rerun mtl2r sweep to retry the failed runs'
            : 'make the report once runs have finished',
      },
    );
  }
  const summary = summariseSweep(results, metric, split);
  const points = paretoPoints(results, summary);
  if (points.length === 0) {
    const available = [
      ...new Set(
        results.flatMap((r) => (r.test ?? r.validation ?? []).flatMap((t) => Object.keys(t.metrics))),
      ),
    ];
    throw new UserError(`${folder.dir}: no run has ${metric} on the ${split} split for every task`, {
      hint: `choose --metric from: ${available.join(', ') || '(none recorded)'}`,
    });
  }
  const warnings = failures.map(
    (f) =>
      `failed, not plotted: ${f.method} ${runLabel(f)} (${f.runDir}) after ${f.attempts} attempt(s): ${f.error.split('\n')[0]}`,
  );
  const pending = folder.planned - results.length - failures.length;
  if (pending > 0) warnings.push(`${pending} planned run(s) have no result yet: the sweep is unfinished`);
  const tables = [summaryTable(summary), runsTable(folder, summary, points)];
  if (failures.length > 0) tables.push(failuresTable(folder));
  return {
    kind: 'sweep',
    title: `mtl2r sweep report: ${folder.dir.split(/[\\/]/).pop() ?? folder.dir}`,
    subtitle: [
      `sweep folder ${folder.dir}`,
      `${results.length} finished run(s), ${failures.length} failed; tasks ${summary.tasks.join(', ')}; ${metric} on ${split}`,
    ],
    figures: [...paretoFigures(points, summary), hypervolumeFigure(summary)],
    tables,
    texts: [{ title: 'Summary as mtl2r sweep prints it', text: formatSummary(summary) }],
    warnings,
  };
}

export function summaryTable(summary: SweepSummary): Table {
  return {
    id: 'summary',
    title: 'Summary per method',
    header: ['method', 'runs', 'front', `hypervolume (1-${summary.metric}, ref 1)`, 'mean delta_m %'],
    rows: summary.methods.map((m) => [
      m.method,
      String(m.runs),
      String(m.front.length),
      cell(m.hypervolume),
      cell(m.deltaM, 2),
    ]),
  };
}

/**
 * Every finished run: its final value of each metric per task on the summary's split, delta_m% against the
 * STL baselines, and whether it is on its method's front.
 */
export function runsTable(folder: SweepFolder, summary: SweepSummary, points: readonly ParetoPoint[]): Table {
  const recorded = new Set(
    folder.results.flatMap((line) =>
      (splitResults(line, summary.split) ?? []).flatMap((t) => Object.keys(t.metrics)),
    ),
  );
  const metrics = [summary.metric, ...[...recorded].filter((m) => m !== summary.metric).sort()];
  const columns = summary.tasks.flatMap((task) => metrics.map((metric) => ({ task, metric })));
  return {
    id: 'runs',
    title: `Runs: final metrics (${summary.split}) and delta_m per method and row`,
    header: [
      'method',
      'run',
      ...columns.map((c) => `${c.task} ${c.metric}`),
      'delta_m %',
      'on front',
      'run directory',
    ],
    rows: folder.results.map((line) => {
      const results = splitResults(line, summary.split);
      const delta =
        line.baselineTask === undefined ? runDeltaM(line, folder.results, summary.split) : undefined;
      return [
        line.method,
        runLabel(line),
        ...columns.map((c) => cell(results?.find((t) => t.task === c.task)?.metrics[c.metric])),
        cell(delta, 2),
        points.find((p) => p.id === line.id)?.onFront === true ? 'yes' : '',
        line.runDir,
      ];
    }),
  };
}

function failuresTable(folder: SweepFolder): Table {
  return {
    id: 'failures',
    title: 'Failed runs (not plotted)',
    header: ['method', 'run', 'attempts', 'error', 'run directory'],
    rows: folder.failures.map((f) => [
      f.method,
      runLabel(f),
      String(f.attempts),
      f.error.split('\n')[0] ?? '',
      f.runDir,
    ]),
  };
}

/**
 * The canonical name of the report's metric: one of mtl2r's own (checked), or a plugin metric's name as
 * the runs recorded it (`rbp@10`), which cannot be checked without loading the plugin.
 */
function reportMetric(name: string, results: SweepFolder['results']): string {
  const text = name.trim().toLowerCase();
  const recorded = results.some((r) =>
    (r.test ?? r.validation ?? []).some((t) => Object.hasOwn(t.metrics, text)),
  );
  return recorded ? text : formatMetric(parseMetric(name, '--metric'));
}
