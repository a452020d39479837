import { type DeltaMTerm, deltaM, ndcgHypervolume, nonDominatedIndices } from '@mtl2r/metrics';
import type { ResultLine } from './results-file.js';
import type { TaskMetrics } from './sweep-job.js';

/**
 * The hypervolume reference point, in (1 - NDCG) space: (1, ..., 1), i.e. NDCG 0 on every task. The same
 * for every method and sweep, so hypervolumes compare (DEEPMTL2R-SPEC §4).
 */
export const HYPERVOLUME_REFERENCE = 1;

export interface MethodSummary {
  method: string;
  runs: number;
  /** The non-dominated runs: their coordinates and per-task values of the summary metric. */
  front: { id: string; preference?: number[]; epsilon?: number | number[]; seed: number; values: number[] }[];
  /** Hypervolume of the front in (1 - metric) space with reference (1, ..., 1). */
  hypervolume: number;
  /** Mean delta_m% of the method's runs (negative = better than the STL baselines). */
  deltaM?: number;
}

export interface SweepSummary {
  metric: string;
  split: 'test' | 'vali';
  tasks: string[];
  methods: MethodSummary[];
}

/** The per-task evaluations of a run on a split. */
export function splitResults(line: ResultLine, split: 'test' | 'vali'): TaskMetrics[] | undefined {
  return split === 'test' ? (line.test ?? line.validation) : line.validation;
}

/**
 * delta_m% of a run against the STL baselines of the same seed (else any seed), over every task and
 * metric the run has on `split`. Undefined while a baseline is missing.
 */
export function runDeltaM(
  line: ResultLine,
  all: readonly ResultLine[],
  split: 'test' | 'vali',
): number | undefined {
  const results = splitResults(line, split);
  if (results === undefined) return undefined;
  const terms: DeltaMTerm[] = [];
  for (const task of results) {
    const baselines = all.filter((other) => other.baselineTask === task.task);
    const baseline = baselines.find((other) => other.seed === line.seed) ?? baselines[0];
    const baselineTask = baseline && splitResults(baseline, split)?.find((t) => t.task === task.task);
    if (baselineTask === undefined) return undefined;
    for (const [metric, value] of Object.entries(task.metrics)) {
      const reference = baselineTask.metrics[metric];
      if (reference === undefined || reference === 0) continue;
      terms.push({ task: task.task, metric, value, baseline: reference, higherIsBetter: true });
    }
  }
  return terms.length === 0 ? undefined : deltaM(terms);
}

/** Per method: the non-dominated runs in per-task `metric`, their hypervolume, and the mean delta_m. */
export function summariseSweep(
  lines: readonly ResultLine[],
  metric: string,
  split: 'test' | 'vali',
): SweepSummary {
  const first = lines[0];
  const tasks = (first === undefined ? undefined : splitResults(first, split))?.map((t) => t.task) ?? [];
  const byMethod = new Map<string, ResultLine[]>();
  for (const line of lines) byMethod.set(line.method, [...(byMethod.get(line.method) ?? []), line]);
  const methods: MethodSummary[] = [];
  for (const [method, runs] of byMethod) {
    const scored = runs.flatMap((run) => {
      const results = splitResults(run, split);
      const values = tasks.map((task) => results?.find((t) => t.task === task)?.metrics[metric]);
      return values.every((v): v is number => v !== undefined && Number.isFinite(v)) ? [{ run, values }] : [];
    });
    const front = nonDominatedIndices(
      scored.map((s) => s.values),
      'max',
    ).map((i) => scored[i] as (typeof scored)[number]);
    const deltas = runs.flatMap((run) => {
      const delta = run.baselineTask === undefined ? runDeltaM(run, lines, split) : undefined;
      return delta === undefined ? [] : [delta];
    });
    methods.push({
      method,
      runs: runs.length,
      front: front.map(({ run, values }) => ({
        id: run.id,
        seed: run.seed,
        values,
        ...(run.preference === undefined ? {} : { preference: run.preference }),
        ...(run.epsilon === undefined ? {} : { epsilon: run.epsilon }),
      })),
      hypervolume:
        front.length === 0
          ? 0
          : ndcgHypervolume(
              front.map((f) => f.values),
              tasks.map(() => HYPERVOLUME_REFERENCE),
            ),
      ...(deltas.length === 0 ? {} : { deltaM: deltas.reduce((a, b) => a + b, 0) / deltas.length }),
    });
  }
  return { metric, split, tasks, methods };
}

/** The summary as the terminal table `mtl2r sweep` prints. */
export function formatSummary(summary: SweepSummary): string {
  const header = `method            runs  front  hypervolume(1-${summary.metric}, ref 1)  delta_m%`;
  const rows = summary.methods.map((m) =>
    [
      m.method.padEnd(17),
      String(m.runs).padStart(4),
      String(m.front.length).padStart(6),
      m.hypervolume.toFixed(4).padStart(29),
      (m.deltaM === undefined ? '-' : m.deltaM.toFixed(2)).padStart(10),
    ].join(' '),
  );
  const fronts = summary.methods.map(
    (m) =>
      `${m.method} front (${summary.tasks.join(', ')} ${summary.metric}, ${summary.split}):\n${m.front
        .map((p) => `  ${p.values.map((v) => v.toFixed(4)).join('  ')}  ${describePoint(p)}`)
        .join('\n')}`,
  );
  return `${header}\n${rows.join('\n')}\n\n${fronts.join('\n')}\n`;
}

function describePoint(point: MethodSummary['front'][number]): string {
  const parts = [`seed ${point.seed}`];
  if (point.preference !== undefined) parts.unshift(`preference [${point.preference.join(', ')}]`);
  if (point.epsilon !== undefined) parts.unshift(`epsilon ${JSON.stringify(point.epsilon)}`);
  return parts.join(', ');
}
