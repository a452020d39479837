import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { expandGrid } from './expand-grid.js';
import { parseSweepFile } from './sweep-file.js';
import { testCatalog, tinySweep } from './testing/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mtl2r-sweep-grid-'));
const expand = (grid: Record<string, unknown>) =>
  expandGrid(parseSweepFile(tinySweep(dir, grid)), {
    sweepDir: dir,
    outDir: join(dir, 'out'),
    catalog: testCatalog(),
  });

describe('expandGrid', () => {
  it('baselines first, rows only for preference methods, epsilons for ec, every seed; ids are config hashes', () => {
    const jobs = expand({ strategies: [{ id: 'ls' }, { id: 'ec', epsilons: [0.5, [1]] }], seeds: [1, 2] });
    const ls = jobs.filter((j) => j.method === 'ls');
    expect(jobs.slice(0, 4).map((j) => [j.method, j.baselineTask, j.seed])).toEqual([
      ['stl', 'relevance', 1],
      ['stl', 'pagerank', 1],
      ['stl', 'relevance', 2],
      ['stl', 'pagerank', 2],
    ]);
    expect(jobs[0]?.config.strategy.preference).toEqual([1, 0]);
    expect(ls).toHaveLength(20); // DeepMTL2R's 10 two-task rows x 2 seeds
    expect(ls[1]?.config.strategy.preference).toEqual([0.111, 0.889]);
    expect(jobs.filter((j) => j.method === 'ec').map((j) => [j.epsilon, j.config.strategy.options])).toEqual([
      [0.5, { epsilon: 0.5 }],
      [[1], { epsilon: [1] }],
      [0.5, { epsilon: 0.5 }],
      [[1], { epsilon: [1] }],
    ]);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
    expect(jobs[0]?.runDir).toBe(join(dir, 'out', 'runs', `stl-${jobs[0]?.id}`));
    // the same grid expands to the same ids (a rerun finds its runs)
    expect(
      expand({ strategies: [{ id: 'ls' }, { id: 'ec', epsilons: [0.5, [1]] }], seeds: [1, 2] }).map(
        (j) => j.id,
      ),
    ).toEqual(jobs.map((j) => j.id));
  });

  it('a run listed twice is run once', () => {
    const jobs = expand({
      strategies: [{ id: 'ls' }, { id: 'ls' }],
      preferences: { generator: 'list', rows: [[0.5, 0.5]] },
      baselines: false,
    });
    expect(jobs).toHaveLength(1);
  });

  it('refuses unknown strategies, ec without epsilons and epsilons on other methods, naming the keys', () => {
    const error = (() => {
      try {
        expand({ strategies: [{ id: 'nope' }, { id: 'ec' }, { id: 'ls', epsilons: [1] }] });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((i) => i.path)).toEqual([
      'grid.strategies[0].id',
      'grid.strategies[1]',
      'grid.strategies[2].epsilons',
    ]);
  });

  it("prefixes the training config's error paths with base.", () => {
    const sweep = tinySweep(dir, { strategies: [{ id: 'ls' }] }) as {
      base: { training: Record<string, unknown> };
    };
    sweep.base.training.epochs = -1;
    expect(() =>
      expandGrid(parseSweepFile(sweep), { sweepDir: dir, outDir: dir, catalog: testCatalog() }),
    ).toThrow(/base\.training\.epochs/);
  });
});
