import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundledSubset } from '@mtl2r/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { runCli } from '../run.js';

let dir: string;
let testFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtl2r-cli-eval-'));
  const files = writeBundledSubset('mq2008', join(dir, 'data'), { train: 16, vali: 8, test: 8 });
  testFile = files.test;
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
      training: { epochs: 1, batchSize: 8 },
      evaluation: { metrics: ['ndcg@5', 'ndcg@10'] },
    }),
  );
  expect(await runCli(['train', '-c', 'c.json', '--out', 'run', '--quiet'], memoryIo(dir))).toBe(0);
});

describe('mtl2r eval', () => {
  it('prints a per-task metrics table of the best checkpoint', async () => {
    const io = memoryIo(dir);
    expect(await runCli(['eval', 'run', '--data', testFile, '--backend', 'cpu'], io)).toBe(0);
    expect(io.out.join('')).toMatch(
      /^task\s+ndcg@5\s+ndcg@10\n-+\s+-+\s+-+\nrelevance\s+0\.\d{4}\s+0\.\d{4}\ninlinks\s+0\.\d{4}\s+0\.\d{4}\n$/,
    );
  });

  it('--json gives the numbers the training run logged for the same file', async () => {
    const io = memoryIo(dir);
    expect(
      await runCli(
        ['eval', 'run', '--data', testFile, '--json', '--metrics', 'ndcg@10', '--backend', 'cpu'],
        io,
      ),
    ).toBe(0);
    const report = JSON.parse(io.out.join('')) as {
      tasks: { task: string; metrics: Record<string, number> }[];
    };
    const logged = readFileSync(join(dir, 'run', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.split === 'test' && r.metric === 'ndcg@10');
    expect(report.tasks.map((t) => [t.task, t.metrics['ndcg@10']])).toEqual(
      logged.map((r) => [r.task, r.value]),
    );
  });

  it('says what a run directory should hold', async () => {
    const io = memoryIo(dir);
    expect(await runCli(['eval', 'data', '--data', testFile], io)).toBe(2);
    expect(io.err.join('')).toMatch(/error: .*data is not a run directory: .*config\.json not found/);
  });
});
