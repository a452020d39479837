import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundledSubset } from '@mtl2r/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { runCli } from '../run.js';

let dir: string;
let trainOutput: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtl2r-cli-report-'));
  const files = writeBundledSubset('mq2008', join(dir, 'data'), { train: 16, vali: 8, test: 8 });
  writeFileSync(
    join(dir, 'c.json'),
    JSON.stringify({
      backend: 'cpu',
      data: {
        ...files,
        cacheDir: false,
        spec: {
          tasks: [
            { name: 'relevance', source: 'label' },
            { name: 'inlinks', feature: 42 },
          ],
          featureCount: 46,
        },
      },
      model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16 },
      losses: [{ name: 'listNet' }, { name: 'rankNet' }],
      strategy: { id: 'ls' },
      training: { epochs: 2, batchSize: 8 },
      evaluation: { metrics: ['ndcg@5', 'ndcg@10'] },
    }),
  );
  const io = memoryIo(dir);
  expect(await runCli(['train', '-c', 'c.json', '--out', 'run'], io)).toBe(0);
  trainOutput = io.out.join('');
});

describe('mtl2r report', () => {
  it('mtl2r train ends with the command that makes its report; that command writes the page and figures', async () => {
    expect(trainOutput).toContain(`report: mtl2r report ${join(dir, 'run')}\n`);
    const io = memoryIo(dir);
    expect(await runCli(['report', 'run', '--out', 'pages'], io)).toBe(0);
    const page = join(dir, 'pages', 'index.html');
    expect(io.out.join('')).toBe(`run report: ${page}\n`);
    expect(io.err).toEqual([]);
    const html = readFileSync(page, 'utf8');
    for (const id of ['training-loss', 'validation-metrics', 'task-weights', 'strategy-diagnostics']) {
      expect(html).toContain(`id="figure-${id}"`);
      expect(existsSync(join(dir, 'pages', 'figures', `${id}.svg`))).toBe(true);
      expect(existsSync(join(dir, 'pages', 'figures', `${id}.png`))).toBe(true);
    }
    // self-contained: no script or style is fetched from anywhere
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it('a sweep with a failed run is reported (exit 0), the failure named on stderr; --metric picks the front metric', async () => {
    const sweepDir = join(dir, 'partial-sweep');
    mkdirSync(sweepDir);
    const run = (id: string, preference: number[], values: [number, number]) => ({
      id,
      method: 'ls',
      strategy: 'ls',
      options: {},
      preference,
      seed: 1,
      status: 'completed',
      test: ['relevance', 'inlinks'].map((task, k) => ({
        task,
        metrics: { 'ndcg@5': values[k], 'ndcg@10': values[k] },
      })),
      parameters: 10,
      steps: 4,
      epochs: 1,
      wallSeconds: 1,
      resumed: false,
      host: 'h',
      runDir: `runs/ls-${id}`,
      finishedAt: '2026-01-01T00:00:00Z',
    });
    const lines = [run('a', [0.8, 0.2], [0.6, 0.4]), run('b', [0.2, 0.8], [0.4, 0.6])];
    writeFileSync(join(sweepDir, 'results.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const failure = {
      ...run('c', [0.5, 0.5], [0, 0]),
      error: 'worker exited with code 1',
      attempts: 2,
      failedAt: '2026-01-01T00:00:00Z',
    };
    writeFileSync(join(sweepDir, 'failures.jsonl'), `${JSON.stringify(failure)}\n`);
    const io = memoryIo(dir);
    expect(await runCli(['report', 'partial-sweep', '--metric', 'NDCG@5'], io)).toBe(0);
    expect(io.out.join('')).toBe(`sweep report: ${join(sweepDir, 'report', 'index.html')}\n`);
    expect(io.err.join('')).toBe(
      'warning: failed, not plotted: ls [0.5, 0.5] seed 1 (runs/ls-c) after 2 attempt(s): worker exited with code 1\n',
    );
    expect(readFileSync(join(sweepDir, 'report', 'index.html'), 'utf8')).toContain(
      'Pareto fronts of every method (ndcg@5 on test)',
    );
  });

  it('a folder that is neither a run nor a sweep exits 2 with the reason and no stack trace', async () => {
    mkdirSync(join(dir, 'empty'));
    const io = memoryIo(dir);
    expect(await runCli(['report', 'empty'], io)).toBe(2);
    expect(io.err.join('')).toBe(
      `error: ${join(dir, 'empty')} is neither a run directory (no metrics.jsonl) nor a sweep folder (no sweep.json or results.jsonl)\nhint: give the --out folder of mtl2r train or of mtl2r sweep\n`,
    );
  });
});
