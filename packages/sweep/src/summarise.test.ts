import { describe, expect, it } from 'vitest';
import type { ResultLine } from './results-file.js';
import { formatSummary, runDeltaM, summariseSweep } from './summarise.js';

function line(
  id: string,
  method: string,
  ndcg: [number, number],
  extra: Partial<ResultLine> = {},
): ResultLine {
  return {
    id,
    method,
    strategy: method,
    options: {},
    seed: 1,
    status: 'completed',
    test: [
      { task: 'rel', metrics: { 'ndcg@10': ndcg[0] } },
      { task: 'aux', metrics: { 'ndcg@10': ndcg[1] } },
    ],
    parameters: 10,
    steps: 1,
    epochs: 1,
    wallSeconds: 1,
    resumed: false,
    host: 'h',
    runDir: `runs/${id}`,
    finishedAt: '',
    ...extra,
  };
}

const baselines = [
  line('s0', 'stl', [0.5, 0.2], { baselineTask: 'rel' }),
  line('s1', 'stl', [0.1, 0.4], { baselineTask: 'aux' }),
];

describe('sweep summary', () => {
  it('keeps the non-dominated runs and measures their hypervolume in (1 - NDCG) space, reference (1, 1)', () => {
    // (0.6, 0.2) is dominated by (0.6, 0.3)
    const runs = [
      line('a', 'ls', [0.6, 0.3], { preference: [0.8, 0.2] }),
      line('b', 'ls', [0.4, 0.5], { preference: [0.2, 0.8] }),
      line('c', 'ls', [0.6, 0.2], { preference: [0.5, 0.5] }),
    ];
    const summary = summariseSweep([...baselines, ...runs], 'ndcg@10', 'test');
    const ls = summary.methods.find((m) => m.method === 'ls');
    expect(ls?.front.map((p) => p.id)).toEqual(['a', 'b']);
    // union of [0, 0.6] x [0, 0.3] and [0, 0.4] x [0, 0.5] = 0.18 + 0.4 * 0.2 = 0.26
    expect(ls?.hypervolume).toBeCloseTo(0.26, 12);
    // delta_m per run: -(100/2) * ((v_rel - 0.5)/0.5 + (v_aux - 0.4)/0.4)
    const expected = [
      [0.6, 0.3],
      [0.4, 0.5],
      [0.6, 0.2],
    ].map(([r, a]) => -50 * (((r as number) - 0.5) / 0.5 + ((a as number) - 0.4) / 0.4));
    expect(ls?.deltaM).toBeCloseTo(expected.reduce((s, v) => s + v, 0) / 3, 10);
    expect(formatSummary(summary)).toContain('ls front (rel, aux ndcg@10, test):');
  });

  it('delta_m waits for every baseline', () => {
    const run = line('a', 'ls', [0.6, 0.3]);
    expect(runDeltaM(run, [baselines[0] as ResultLine], 'test')).toBeUndefined();
    expect(runDeltaM(run, baselines, 'test')).toBeCloseTo(-50 * (0.2 - 0.25), 10);
  });
});
