import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSweepFile, planSweep } from '@mtl2r/sweep';
import { writeBundledSubset } from '@mtl2r/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { runCli } from '../run.js';
import { registryCatalog } from './sweep.js';
import { installedRegistry } from './train.js';

let dir: string;

async function run(...argv: string[]) {
  const io = memoryIo(dir);
  const code = await runCli(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** A tiny two-task sweep on an MQ2008 subset: 1 epoch of a one-block model on the cpu backend. */
function writeSweep(name: string, grid: string): string {
  const files = writeBundledSubset('mq2008', join(dir, 'data'), { train: 12, vali: 8, test: 8 });
  const file = join(dir, name);
  writeFileSync(
    file,
    `base:
  seed: 3
  backend: cpu
  data:
    train: ${files.train}
    vali: ${files.vali}
    test: ${files.test}
    cacheDir: false
    spec:
      tasks:
        - { name: relevance, source: label }
        - { name: pagerank, feature: 41, transform: "quantile-grades:3" }
      featureCount: 46
  model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16, dropout: 0 }
  losses: [{ name: listNet }, { name: listNet }]
  training: { epochs: 1, batchSize: 4 }
  evaluation: { metrics: [ndcg@5, ndcg@10] }
  earlyStopping: { metric: ndcg@10 }
${grid}`,
  );
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtl2r-cli-sweep-'));
});

describe('mtl2r init --sweep', () => {
  it('writes a starter sweep of 2 methods x 2 rows + 2 STL baselines on the bundled data', async () => {
    const { code, out } = await run('init', '--sweep', 'starter.yaml');
    expect(code).toBe(0);
    expect(out).toContain('mtl2r sweep -c starter.yaml');
    const loaded = loadSweepFile(join(dir, 'starter.yaml'));
    const plan = planSweep(loaded.sweep, {
      sweepDir: loaded.dir,
      outDir: join(dir, 'starter-out'),
      catalog: registryCatalog(await installedRegistry(dir)),
    });
    expect(plan.jobs.map((j) => j.method)).toEqual(['stl', 'stl', 'ls', 'ls', 'wc', 'wc']);
  });
});

describe('mtl2r sweep: bad sweep files exit 2 naming the key, before anything runs', () => {
  const cases: [string, string, string][] = [
    ['unknown strategy', 'grid:\n  strategies: [{ id: nosuch }]\n', 'grid.strategies[0].id'],
    [
      'preference row of the wrong length',
      'grid:\n  strategies: [{ id: ls }]\n  preferences: { generator: list, rows: [[0.5, 0.5], [1, 0, 0]] }\n',
      'grid.preferences.rows[1]',
    ],
    ['empty grid', 'grid:\n  strategies: []\n', 'grid.strategies'],
    ['EC without epsilon', 'grid:\n  strategies: [{ id: ec }]\n', 'grid.strategies[0]'],
    ['bad base config', 'grid:\n  strategies: [{ id: ls }]\n', 'base.training.epochs'],
  ];
  for (const [what, grid, path] of cases) {
    it(what, async () => {
      const name = `${what.replace(/\W+/g, '-')}.yaml`;
      const file = writeSweep(name, grid);
      const extra = what === 'bad base config' ? ['--set', 'base.training.epochs=0'] : [];
      const out = join(dir, 'bad', name);
      const result = await run('sweep', '-c', file, '--out', out, '--workers', '1', ...extra);
      expect(result.code).toBe(2);
      expect(result.err).toContain(path);
      expect(result.err).not.toContain('    at ');
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe('mtl2r sweep', () => {
  it('records a failing run with its error after retries, finishes the others, exits 3; a rerun trains nothing new', async () => {
    const file = writeSweep(
      'faulty.yaml',
      `grid:
  strategies:
    - { id: ls, options: { notAnOption: 1 } }
    - { id: ec, epsilons: [1.5] }
  preferences: { generator: list, rows: [[0.5, 0.5]] }
  baselines: false
retries: 1
`,
    );
    const first = await run('sweep', '-c', file, '--out', 'sweeps/faulty', '--workers', '2');
    expect(first.code).toBe(3);
    expect(first.err).toContain('1 run(s) failed');
    expect(first.out).toContain('report:  mtl2r report sweeps/faulty');
    const failures = readFileSync(join(dir, 'sweeps/faulty/failures.jsonl'), 'utf8').trim().split('\n');
    expect(failures).toHaveLength(1);
    const failure = JSON.parse(failures[0] as string) as { method: string; error: string; attempts: number };
    expect(failure.method).toBe('ls{"notAnOption":1}');
    expect(failure.error).toContain('notAnOption');
    expect(failure.attempts).toBe(2);
    const results = readFileSync(join(dir, 'sweeps/faulty/results.jsonl'), 'utf8').trim().split('\n');
    expect(results.map((l) => (JSON.parse(l) as { method: string }).method)).toEqual(['ec']);
    // an ordinary run directory: mtl2r eval understands it
    const ecRun = (JSON.parse(results[0] as string) as { runDir: string }).runDir;
    const evaluated = await run(
      'eval',
      join(dir, 'sweeps/faulty', ecRun),
      '--data',
      join(dir, 'data', 'test.txt'),
    );
    expect(evaluated.err).toBe('');
    expect(evaluated.code).toBe(0);
    expect(evaluated.out).toContain('relevance');

    const second = await run('sweep', '-c', file, '--out', 'sweeps/faulty', '--workers', '1');
    expect(second.code).toBe(3);
    expect(second.out).toContain('2 runs, 1 already done, 1 to run');
    expect(readFileSync(join(dir, 'sweeps/faulty/results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('Redis unreachable: exit 2 within seconds, naming the URL', async () => {
    const file = writeSweep('queue.yaml', 'grid:\n  strategies: [{ id: ls }]\n');
    const started = Date.now();
    const result = await run('sweep', '-c', file, '--out', 'sweeps/q', '--queue', 'redis://127.0.0.1:1');
    expect(result.code).toBe(2);
    expect(result.err).toContain('cannot reach Redis at redis://127.0.0.1:1');
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('--workers and --queue together: exit 2', async () => {
    const file = writeSweep('both.yaml', 'grid:\n  strategies: [{ id: ls }]\n');
    const result = await run('sweep', '-c', file, '--workers', '2', '--queue', 'redis://127.0.0.1:1');
    expect(result.code).toBe(2);
    expect(result.err).toContain('not both');
  });

  it('a worker with an unreachable queue: exit 2 naming the URL', async () => {
    const result = await run('worker', '--queue', 'redis://127.0.0.1:1', '--concurrency', '1');
    expect(result.code).toBe(2);
    expect(result.err).toContain('cannot reach Redis at redis://127.0.0.1:1');
  });
});
