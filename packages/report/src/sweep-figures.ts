import type { MethodSummary, SweepSummary } from '@mtl2r/sweep';
import type { TopLevelSpec } from 'vega-lite';
import { type Figure, VEGA_LITE_SCHEMA } from './figure.js';
import { baselineValues, type ParetoPoint } from './pareto-data.js';

/** A plotted run: the point's coordinates as flat fields, one per task (named `<metric> <task>`). */
export type PlottedRow = Record<string, string | number | boolean>;

/** The axis field of a task: readable as an axis title. */
export function taskField(metric: string, task: string): string {
  return `${metric} ${task}`;
}

/** Vega-Lite reads `.`, `[` and `]` in a field name as nested access: escape them. */
function escapeField(field: string): string {
  return field.replace(/[.[\]\\]/g, (c) => `\\${c}`);
}

/** The rows a Pareto figure plots: one per run, with `front` true for the non-dominated runs of its method. */
export function plottedRows(points: readonly ParetoPoint[], summary: SweepSummary): PlottedRow[] {
  return points.map((point) => {
    const row: PlottedRow = {
      method: point.method,
      run: point.label,
      runDir: point.runDir,
      kind: point.baselineTask === undefined ? 'run' : 'STL baseline',
      front: point.onFront,
    };
    for (const task of summary.tasks) row[taskField(summary.metric, task)] = point.values[task] as number;
    return row;
  });
}

/** The Pareto figures: every method in one, then one per method (baselines are drawn in each). */
export function paretoFigures(points: readonly ParetoPoint[], summary: SweepSummary): Figure[] {
  const methods = [...new Set(points.map((p) => p.method))];
  const baselines = points.filter((p) => p.baselineTask !== undefined);
  const space = `${summary.metric} on ${summary.split}`;
  const figures: Figure[] = [
    {
      id: 'pareto-all',
      title: `Pareto fronts of every method (${space})`,
      caption: `Every finished run in per-task ${summary.metric}; filled points and lines are each method's non-dominated runs; dashed rules are the STL baselines.`,
      spec: paretoSpec(`Pareto fronts (${space})`, points, summary),
    },
  ];
  const ids = new Set(figures.map((f) => f.id));
  for (const method of methods) {
    if (points.every((p) => p.method !== method || p.baselineTask !== undefined)) continue;
    // Two method names may share a slug ('LS' and 'ls'): number the later ones.
    let id = `pareto-${slug(method)}`;
    for (let n = 2; ids.has(id); n++) id = `pareto-${slug(method)}-${n}`;
    ids.add(id);
    const own = points.filter((p) => p.method === method);
    const withBaselines = [...own, ...baselines.filter((b) => b.method !== method)];
    figures.push({
      id,
      title: `Pareto front of ${method} (${space})`,
      caption: `The runs of ${method}, its front (filled), and the STL baselines.`,
      spec: paretoSpec(`${method} (${space})`, withBaselines, summary),
    });
  }
  return figures;
}

function paretoSpec(title: string, points: readonly ParetoPoint[], summary: SweepSummary): TopLevelSpec {
  const fields = summary.tasks.map((task) => taskField(summary.metric, task));
  const values = plottedRows(points, summary);
  const tooltip = [
    { field: 'method', type: 'nominal' as const },
    { field: 'run', type: 'nominal' as const },
    ...fields.map((f) => ({ field: escapeField(f), type: 'quantitative' as const, format: '.4f', title: f })),
    { field: 'front', type: 'nominal' as const, title: 'on the front' },
    { field: 'runDir', type: 'nominal' as const, title: 'run directory' },
  ];
  const pointMark = {
    mark: { type: 'point' as const, size: 70, strokeWidth: 1.5 },
    encoding: {
      color: { field: 'method', type: 'nominal' as const },
      shape: {
        field: 'kind',
        type: 'nominal' as const,
        title: 'kind',
        scale: { domain: ['run', 'STL baseline'], range: ['circle', 'cross'] },
      },
      fill: {
        condition: { test: 'datum.front', field: 'method', type: 'nominal' as const },
        value: 'transparent',
      },
      tooltip,
    },
  };
  if (fields.length === 2) {
    const [xField, yField] = fields.map(escapeField) as [string, string];
    const axis = (field: string, name: string) => ({
      field,
      type: 'quantitative' as const,
      title: name,
      scale: { zero: false },
    });
    const xy = { x: axis(xField, fields[0] as string), y: axis(yField, fields[1] as string) };
    const baseline = baselineValues(points);
    const [taskX, taskY] = summary.tasks as [string, string];
    const rules = [
      ...(baseline[taskX] === undefined ? [] : [{ axis: 'x', task: taskX, value: baseline[taskX] }]),
      ...(baseline[taskY] === undefined ? [] : [{ axis: 'y', task: taskY, value: baseline[taskY] }]),
    ];
    const ruleLayer = (axisName: 'x' | 'y') => ({
      data: { values: rules.filter((r) => r.axis === axisName) },
      mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#888' },
      encoding: {
        [axisName]: { field: 'value', type: 'quantitative' as const },
        tooltip: [
          { field: 'task', type: 'nominal' as const, title: 'STL baseline of' },
          { field: 'value', type: 'quantitative' as const, format: '.4f' },
        ],
      },
    });
    return {
      $schema: VEGA_LITE_SCHEMA,
      title,
      width: 420,
      height: 360,
      // x and y per layer: the baseline rules encode only their own axis on the same shared scale.
      layer: [
        { data: { values }, ...pointMark, encoding: { ...xy, ...pointMark.encoding } },
        {
          data: { values },
          transform: [{ filter: 'datum.front && datum.kind === "run"' }],
          mark: { type: 'line', strokeWidth: 1.5 },
          encoding: {
            ...xy,
            color: { field: 'method', type: 'nominal' },
            order: { field: xField, type: 'quantitative' },
          },
        },
        ...(rules.some((r) => r.axis === 'x') ? [ruleLayer('x')] : []),
        ...(rules.some((r) => r.axis === 'y') ? [ruleLayer('y')] : []),
      ],
    } as TopLevelSpec;
  }
  // Three or more tasks: a scatter matrix of every pair of tasks.
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values },
    repeat: { row: fields.map(escapeField), column: fields.map(escapeField) },
    spec: {
      width: 180,
      height: 180,
      mark: pointMark.mark,
      encoding: {
        x: { field: { repeat: 'column' }, type: 'quantitative', scale: { zero: false } },
        y: { field: { repeat: 'row' }, type: 'quantitative', scale: { zero: false } },
        ...pointMark.encoding,
      },
    },
  } as TopLevelSpec;
}

/** Hypervolume per method as bars (the same numbers as the summary table). */
export function hypervolumeFigure(summary: SweepSummary): Figure {
  const values = summary.methods.map((m: MethodSummary) => ({
    method: m.method,
    hypervolume: m.hypervolume,
    front: m.front.length,
    runs: m.runs,
  }));
  return {
    id: 'hypervolume',
    title: 'Hypervolume per method',
    caption: `Hypervolume of each method's front in (1 - ${summary.metric}) space, reference point 1 on every task (larger is better).`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: `Hypervolume (1 - ${summary.metric}, ref 1)`,
      data: { values },
      width: 420,
      height: 260,
      mark: 'bar',
      encoding: {
        x: { field: 'method', type: 'nominal', sort: '-y', title: 'method' },
        y: { field: 'hypervolume', type: 'quantitative', title: 'hypervolume' },
        color: { field: 'method', type: 'nominal', legend: null },
        tooltip: [
          { field: 'method', type: 'nominal' },
          { field: 'hypervolume', type: 'quantitative', format: '.4f' },
          { field: 'front', type: 'quantitative', title: 'runs on the front' },
          { field: 'runs', type: 'quantitative' },
        ],
      },
    },
  };
}

/** A file-name-safe stem for a method name. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'method'
  );
}
