import { UserError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import type { SweepFolder } from './sweep-folder.js';
import { sweepReportContent } from './sweep-report.js';
import { failureLine, resultLine } from './testing/result-lines.js';

function folder(overrides: Partial<SweepFolder>): SweepFolder {
  return {
    dir: '/sweeps/s',
    results: [],
    failures: [],
    summary: { metric: 'ndcg@10', split: 'test' },
    planned: 0,
    ...overrides,
  };
}

const results = [
  resultLine('s1', 'stl', { rel: 0.7, pr: 0.2 }, { baselineTask: 'rel' }),
  resultLine('s2', 'stl', { rel: 0.3, pr: 0.9 }, { baselineTask: 'pr' }),
  resultLine('a1', 'ls', { rel: 0.65, pr: 0.5 }, { preference: [0.8, 0.2] }),
];

describe('the sweep report content', () => {
  it('lists failed runs (warning and table) but plots and tabulates only finished ones', () => {
    const content = sweepReportContent(
      folder({ results, failures: [failureLine('f1', 'ls', { preference: [0.2, 0.8] })], planned: 5 }),
    );
    expect(content.warnings).toEqual([
      'failed, not plotted: ls [0.2, 0.8] seed 1 (runs/ls-f1) after 2 attempt(s): loss is NaN at step 3',
      '1 planned run(s) have no result yet: the sweep is unfinished',
    ]);
    const runs = content.tables.find((t) => t.id === 'runs');
    expect(runs?.rows.map((r) => r[r.length - 1])).toEqual(['runs/stl-s1', 'runs/stl-s2', 'runs/ls-a1']);
    expect(content.tables.find((t) => t.id === 'failures')?.rows).toEqual([
      ['ls', '[0.2, 0.8] seed 1', '2', 'loss is NaN at step 3', 'runs/ls-f1'],
    ]);
    const [allMethods] = content.figures;
    if (allMethods === undefined) throw new Error('no Pareto figure');
    const plotted = (allMethods.spec as { layer: { data: { values: { runDir: string }[] } }[] }).layer[0];
    expect(plotted?.data.values.map((v) => v.runDir)).toEqual(['runs/stl-s1', 'runs/stl-s2', 'runs/ls-a1']);
  });

  it('delta_m per run against the STL baselines, and the summary the terminal prints', () => {
    const content = sweepReportContent(folder({ results }));
    // ls a1 against baselines rel 0.7, pr 0.9 over ndcg@10 and ndcg@5: mean of -(v - b) / b in percent
    const terms = [
      [0.65, 0.7],
      [0.55, 0.6],
      [0.5, 0.9],
      [0.4, 0.8],
    ];
    const expected =
      (100 * terms.reduce((sum, [v, b]) => sum - ((v as number) - (b as number)) / (b as number), 0)) / 4;
    const runs = content.tables.find((t) => t.id === 'runs');
    expect(runs?.header).toEqual([
      'method',
      'run',
      'rel ndcg@10',
      'rel ndcg@5',
      'pr ndcg@10',
      'pr ndcg@5',
      'delta_m %',
      'on front',
      'run directory',
    ]);
    expect(runs?.rows[2]).toEqual([
      'ls',
      '[0.8, 0.2] seed 1',
      '0.6500',
      '0.5500',
      '0.5000',
      '0.4000',
      expected.toFixed(2),
      'yes',
      'runs/ls-a1',
    ]);
    expect(content.texts[0]?.text).toContain('hypervolume(1-ndcg@10, ref 1)');
  });

  it('reports a plugin metric the runs recorded, by the name they recorded it under', () => {
    // rbp@10 comes from a metric plugin: only the recorded names can tell it is a metric.
    const withRbp = results.map((r) => ({
      ...r,
      test: r.test?.map((t) => ({
        ...t,
        metrics: { ...t.metrics, 'rbp@10': (t.metrics['ndcg@10'] as number) / 2 },
      })),
    }));
    const content = sweepReportContent(folder({ results: withRbp }), 'RBP@10');
    expect(content.texts[0]?.text).toContain('hypervolume(1-rbp@10, ref 1)');
    expect(() => sweepReportContent(folder({ results: withRbp }), 'rbp@5')).toThrow(
      /--metric: got "rbp@5"; expected one of ndcg, ndcg@k/,
    );
  });

  it('refuses a sweep with nothing to plot, saying why', () => {
    expect(() => sweepReportContent(folder({ failures: [failureLine('f1', 'ls')] }))).toThrow(
      '/sweeps/s: every recorded run failed (1 in failures.jsonl), nothing to plot',
    );
    expect(() => sweepReportContent(folder({}))).toThrow('/sweeps/s: the sweep has no finished run yet');
    let error: unknown;
    try {
      sweepReportContent(folder({ results }), 'ndcg@3');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      '/sweeps/s: no run has ndcg@3 on the test split for every task',
    );
    expect((error as UserError).hint).toBe('choose --metric from: ndcg@10, ndcg@5');
    expect((error as UserError).exitCode).toBe(2);
  });
});
