/** Printing for step.bench.ts: fixed-width tables and the goal table. */
import type { GemmRate } from './gemm-rates.js';
import type { GroupShare } from './kernel-groups.js';

export interface Row {
  name: string;
  stepSeconds: number;
  /** Process CPU time per step (all threads): comparable even when other work shares the machine. */
  cpuSeconds: number;
  steps: number;
  peakRssMb?: number;
}
export interface PerTaskRow {
  name: string;
  oneGradSeconds: number;
  perTaskSeconds: number;
  /** K gradients at the representation + one trunk VJP of their combination (MGDA-UB style). */
  representationSeconds?: number;
}

const pad = (s: string, n: number) => s.padEnd(n);
export const num = (x: number, digits = 3) => x.toFixed(digits);
const line = (cells: [string, number][]) => console.log(cells.map(([s, n]) => pad(s, n)).join(''));

export function printSteps(rows: Row[], docs: number, reference: Row | undefined): void {
  console.log('\nTraining step');
  const widths = [40, 7, 9, 9, 9, 12, 12, 16, 0];
  const head = [
    'backend',
    'steps',
    's/step',
    'steps/s',
    'docs/s',
    'vs PyTorch',
    'CPU-s/step',
    'CPU vs PyTorch',
    'peak RSS',
  ];
  line(head.map((h, i) => [h, widths[i] ?? 0]));
  for (const r of rows) {
    const ratio = reference === undefined ? '-' : `${num(reference.stepSeconds / r.stepSeconds, 2)}x`;
    const cpu = reference === undefined ? '-' : `${num(reference.cpuSeconds / r.cpuSeconds, 2)}x`;
    const rss = r.peakRssMb === undefined ? '-' : `${Math.round(r.peakRssMb)} MB`;
    const cells = [
      r.name,
      String(r.steps),
      num(r.stepSeconds, 2),
      num(1 / r.stepSeconds),
      String(Math.round(docs / r.stepSeconds)),
      ratio,
      num(r.cpuSeconds, 2),
      cpu,
      rss,
    ];
    line(cells.map((c, i) => [c, widths[i] ?? 0]));
  }
  console.log(
    '(ratios > 1 mean faster than PyTorch; CPU-s counts all threads, fairer when other work shares the machine)',
  );
}

export function printPerTask(rows: PerTaskRow[], k: number): void {
  console.log(
    `\nK = ${k} per-task gradients of all shared parameters (1 forward + ${k} backward) vs one gradient`,
  );
  line([
    ['implementation', 52],
    ['1 grad s', 10],
    [`K=${k} s`, 10],
    ['cost ratio', 12],
    ['representation space (K at z + 1 trunk VJP)', 0],
  ]);
  for (const r of rows) {
    const repr =
      r.representationSeconds === undefined
        ? '-'
        : `${num(r.representationSeconds, 2)} s = ${num(r.representationSeconds / r.oneGradSeconds, 2)}x`;
    line([
      [r.name, 52],
      [num(r.oneGradSeconds, 2), 10],
      [num(r.perTaskSeconds, 2), 10],
      [`${num(r.perTaskSeconds / r.oneGradSeconds, 2)}x`, 12],
      [repr, 0],
    ]);
  }
}

export function printGroups(title: string, groups: GroupShare[]): void {
  console.log(`\nShare of one training step per kernel group, ${title}`);
  line([
    ['group', 18],
    ['ms', 9],
    ['share', 8],
    ['kernels over 1 % of the step', 0],
  ]);
  for (const g of groups)
    line([
      [g.group, 18],
      [num(g.ms, 0), 9],
      [`${num(100 * g.share, 1)}%`, 8],
      [g.kernels, 0],
    ]);
}

export function printGemmRates(rates: GemmRate[], peak: GemmRate | undefined, kernels: string[]): void {
  console.log(
    "\nNative GEMM on the step's products: wall GFLOP/s (% of that kernel's 2048^3 peak) / GFLOP per CPU-second",
  );
  line([
    ['m x n x k', 20],
    ['batch', 7],
    ['op', 5],
    ['calls', 7],
    ...kernels.map((k): [string, number] => [k, 24]),
  ]);
  const cell = (r: GemmRate, k: string): [string, number] => {
    const g = r.gflops[k];
    const p = peak?.gflops[k];
    const share = p === undefined || g === undefined ? '?' : num((100 * g) / p, 0);
    return [g === undefined ? '-' : `${num(g, 0)} (${share}%) / ${num(r.perCpu[k] ?? 0, 0)}`, 24];
  };
  for (const r of rates) {
    const op = `${r.transposeA ? 'T' : 'N'}${r.transposeB ? 'T' : 'N'}`;
    line([
      [`${r.m} x ${r.n} x ${r.k}`, 20],
      [String(r.batch), 7],
      [op, 5],
      [String(r.calls), 7],
      ...kernels.map((k) => cell(r, k)),
    ]);
  }
  if (peak !== undefined) line([['2048^3 peak', 39], ...kernels.map((k) => cell(peak, k))]);
}

export interface Goal {
  figure: string;
  value: string;
  goal: string;
  met: boolean | undefined;
}

export function printGoals(goals: Goal[]): void {
  console.log('\nIssue 15 figures');
  line([
    ['figure', 68],
    ['measured', 36],
    ['goal', 16],
    ['', 0],
  ]);
  for (const g of goals)
    line([
      [g.figure, 68],
      [g.value, 36],
      [g.goal, 16],
      [g.met === undefined ? '' : g.met ? 'met' : 'NOT met', 0],
    ]);
}
