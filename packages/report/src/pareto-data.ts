import { type ResultLine, type SweepSummary, splitResults } from '@mtl2r/sweep';

/** One run of a sweep as the Pareto figures plot it: its coordinates and per-task metric values. */
export interface ParetoPoint {
  id: string;
  method: string;
  runDir: string;
  seed: number;
  /** `0.8, 0.2`, `eps [0.1]`, or the baseline's task: what distinguishes the run within its method. */
  label: string;
  /** Set on STL baselines: the task they trained. */
  baselineTask?: string;
  /** Per-task values of the summary metric, keyed by task name. */
  values: Record<string, number>;
  /** True when the sweep's summary puts this run on its method's front. */
  onFront: boolean;
}

/**
 * Every recorded run with a value of `summary.metric` for every task, marked on or off its method's front as
 * the sweep summary computed it (so the figure and the printed summary cannot disagree).
 */
export function paretoPoints(results: readonly ResultLine[], summary: SweepSummary): ParetoPoint[] {
  const front = new Set(summary.methods.flatMap((m) => m.front.map((p) => p.id)));
  return results.flatMap((line) => {
    const tasks = splitResults(line, summary.split);
    const values: Record<string, number> = {};
    for (const task of summary.tasks) {
      const value = tasks?.find((t) => t.task === task)?.metrics[summary.metric];
      if (value === undefined || !Number.isFinite(value)) return [];
      values[task] = value;
    }
    return [
      {
        id: line.id,
        method: line.method,
        runDir: line.runDir,
        seed: line.seed,
        label: runLabel(line),
        ...(line.baselineTask === undefined ? {} : { baselineTask: line.baselineTask }),
        values,
        onFront: front.has(line.id),
      },
    ];
  });
}

/** What tells a run apart within its method. */
export function runLabel(line: Pick<ResultLine, 'preference' | 'epsilon' | 'baselineTask' | 'seed'>): string {
  const parts: string[] = [];
  if (line.baselineTask !== undefined) parts.push(`STL ${line.baselineTask}`);
  if (line.preference !== undefined)
    parts.push(`[${line.preference.map((p) => Number(p.toFixed(4))).join(', ')}]`);
  if (line.epsilon !== undefined) parts.push(`eps ${JSON.stringify(line.epsilon)}`);
  parts.push(`seed ${line.seed}`);
  return parts.join(' ');
}

/** The STL baseline value of each task (mean over seeds), where a baseline run exists. */
export function baselineValues(points: readonly ParetoPoint[]): Record<string, number> {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const point of points) {
    const task = point.baselineTask;
    const value = task === undefined ? undefined : point.values[task];
    if (task === undefined || value === undefined) continue;
    const entry = sums.get(task) ?? { sum: 0, count: 0 };
    sums.set(task, { sum: entry.sum + value, count: entry.count + 1 });
  }
  return Object.fromEntries([...sums].map(([task, { sum, count }]) => [task, sum / count]));
}
