import { nonDominatedIndices } from '@mtl2r/metrics';
import { summariseSweep } from '@mtl2r/sweep';
import { describe, expect, it } from 'vitest';
import { baselineValues, paretoPoints } from './pareto-data.js';
import { paretoFigures, plottedRows, taskField } from './sweep-figures.js';
import { resultLine } from './testing/result-lines.js';

const lines = [
  resultLine('s1', 'stl', { rel: 0.7, pr: 0.2 }, { baselineTask: 'rel', preference: [1, 0] }),
  resultLine('s2', 'stl', { rel: 0.3, pr: 0.9 }, { baselineTask: 'pr', preference: [0, 1] }),
  resultLine('a1', 'ls', { rel: 0.65, pr: 0.5 }, { preference: [0.8, 0.2] }),
  resultLine('a2', 'ls', { rel: 0.5, pr: 0.6 }, { preference: [0.5, 0.5] }),
  resultLine('a3', 'ls', { rel: 0.45, pr: 0.55 }, { preference: [0.4, 0.6] }), // dominated by a2
  resultLine('a4', 'ls', { rel: 0.4, pr: 0.8 }, { preference: [0.2, 0.8] }),
  resultLine('b1', 'pcgrad', { rel: 0.6, pr: 0.6 }, { preference: [0.5, 0.5] }),
  resultLine('b2', 'pcgrad', { rel: 0.6, pr: 0.59 }, { preference: [0.6, 0.4] }), // dominated by b1
];

describe('Pareto figure data', () => {
  const summary = summariseSweep(lines, 'ndcg@10', 'test');
  const points = paretoPoints(lines, summary);

  it('the front plotted is exactly the non-dominated set of each method', () => {
    for (const method of ['stl', 'ls', 'pcgrad']) {
      const own = lines.filter((l) => l.method === method);
      const values = own.map(
        (l) => [l.test?.[0]?.metrics['ndcg@10'], l.test?.[1]?.metrics['ndcg@10']] as number[],
      );
      const expected = nonDominatedIndices(values, 'max').map((i) => own[i]?.id);
      const plotted = points.filter((p) => p.method === method && p.onFront).map((p) => p.id);
      expect(plotted.sort()).toEqual([...expected].sort());
    }
    expect(points.filter((p) => p.onFront).map((p) => p.id)).toEqual(['s1', 's2', 'a1', 'a2', 'a4', 'b1']);
  });

  it('the axis values are the metrics in the results, one field per task', () => {
    const rows = plottedRows(points, summary);
    expect(rows).toHaveLength(lines.length);
    rows.forEach((row, i) => {
      const line = lines[i];
      expect(row.method).toBe(line?.method);
      expect(row[taskField('ndcg@10', 'rel')]).toBe(line?.test?.[0]?.metrics['ndcg@10']);
      expect(row[taskField('ndcg@10', 'pr')]).toBe(line?.test?.[1]?.metrics['ndcg@10']);
    });
    const ndcg5 = paretoPoints(lines, summariseSweep(lines, 'ndcg@5', 'test'));
    expect(ndcg5.find((p) => p.id === 'a2')?.values).toEqual({ rel: 0.5 - 0.1, pr: 0.6 - 0.1 });
  });

  it('STL baselines: each task at its own baseline run value, averaged over seeds', () => {
    const twoSeeds = [
      ...lines,
      resultLine('s3', 'stl', { rel: 0.8, pr: 0.1 }, { baselineTask: 'rel', seed: 2 }),
    ];
    const baseline = baselineValues(paretoPoints(twoSeeds, summariseSweep(twoSeeds, 'ndcg@10', 'test')));
    expect(baseline.rel).toBeCloseTo(0.75, 12);
    expect(baseline.pr).toBe(0.9);
  });

  it('two tasks: one scatter with every method, one per method; three tasks: a scatter matrix', () => {
    expect(paretoFigures(points, summary).map((f) => f.id)).toEqual([
      'pareto-all',
      'pareto-ls',
      'pareto-pcgrad',
    ]);
    const three = [
      resultLine('c1', 'ls', { x: 0.1, y: 0.2, z: 0.3 }),
      resultLine('c2', 'ls', { x: 0.3, y: 0.2, z: 0.1 }),
    ];
    const threeSummary = summariseSweep(three, 'ndcg@10', 'test');
    const [all] = paretoFigures(paretoPoints(three, threeSummary), threeSummary);
    const spec = all?.spec as { repeat: { row: string[]; column: string[] } };
    expect(spec.repeat.row).toEqual(['ndcg@10 x', 'ndcg@10 y', 'ndcg@10 z']);
    expect(spec.repeat.column).toEqual(spec.repeat.row);
  });
});
