import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The plugin's own folder: its package.json names it mtl2r-strategy-unitnorm, so the CLI finds it here.
const pluginDir = fileURLToPath(new URL('..', import.meta.url));
const cliBin = join(
  dirname(createRequire(import.meta.url).resolve('@mtl2r/cli/package.json')),
  'bin',
  'mtl2r.js',
);
let work: string;

/** Runs the installed mtl2r CLI (as `npx mtl2r` would) in the plugin's folder. */
function mtl2r(...args: string[]): { code: number | null; out: string; err: string } {
  const result = spawnSync(process.execPath, [cliBin, ...args], {
    cwd: pluginDir,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'unitnorm-cli-'));
  for (const [split, seed] of [
    ['train', 1],
    ['vali', 2],
    ['test', 3],
  ] as const) {
    const made = mtl2r(
      'data',
      'synth',
      '--queries',
      split === 'train' ? '48' : '16',
      '--mean-docs',
      '20',
      '--max-docs',
      '40',
      '--seed',
      String(seed),
      '--out',
      join(work, `${split}.txt`),
    );
    expect(made.err).toBe('');
  }
  writeFileSync(
    join(work, 'unitnorm.yaml'),
    `seed: 3
backend: cpu
data:
  train: ${join(work, 'train.txt')}
  vali: ${join(work, 'vali.txt')}
  test: ${join(work, 'test.txt')}
  cacheDir: false
  spec:
    tasks:
      - { name: relevance, source: label }
      - { name: quality, feature: 133, transform: "quantile-grades:5" }
    normalize: log-zscore
model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16, dropout: 0.1 }
losses:
  - { name: listNet }
  - { name: squaredHinge, plugin: ${join(pluginDir, 'dist', 'squared-hinge-loss.js')}, options: { margin: 0.5 } }
strategy: { id: ls }
training: { epochs: 1, batchSize: 8 }
evaluation:
  metrics:
    - ndcg@10
    - { name: rbp, k: 10, plugin: ${join(pluginDir, 'dist', 'rbp-metric.js')}, options: { persistence: 0.8 } }
earlyStopping: { metric: rbp@10 }
`,
  );
});

describe('the mtl2r CLI, installed from packed tarballs, loads this plugin by its short id and the loss and metric by path', () => {
  it('lists it among the installed strategies', () => {
    const { code, out, err } = mtl2r('strategies', '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const row = (JSON.parse(out) as { id?: string; package: string }[]).find((r) => r.id === 'unitnorm');
    expect(row?.package).toBe('mtl2r-strategy-unitnorm');
  });

  it('trains with --set strategy.id=unitnorm and prints finite test NDCG', () => {
    const runDir = join(work, 'run');
    const { code, out, err } = mtl2r(
      'train',
      '-c',
      join(work, 'unitnorm.yaml'),
      '--out',
      runDir,
      '--set',
      'strategy.id=unitnorm',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^relevance\s+0\.\d{4}/m);
    expect(out).toMatch(/^quality\s+0\.\d{4}/m);
    const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
    expect(config.strategy.id).toBe('unitnorm');
    expect(config.losses[1].name).toBe('squaredHinge');
    expect(existsSync(join(runDir, 'checkpoints/last'))).toBe(true);
    // The metric plugin is validated on and picks the best epoch: its values are logged per task.
    const rbpRecords = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"rbp@10"'))
      .map((line) => JSON.parse(line) as { split: string; task: string; value: number });
    expect(rbpRecords.map((r) => `${r.split} ${r.task}`)).toEqual([
      'vali relevance',
      'vali quality',
      'test relevance',
      'test quality',
    ]);
    for (const r of rbpRecords) expect(r.value).toBeGreaterThan(0);
    for (const r of rbpRecords) expect(r.value).toBeLessThan(1);
  });

  it('without @mtl2r/datasets installed, says what to install for the starter config', () => {
    const starter = join(work, 'starter.yaml');
    expect(mtl2r('init', starter).code).toBe(0);
    const { code, err } = mtl2r('train', '-c', starter, '--set', 'strategy.id=unitnorm');
    expect(code).toBe(2);
    expect(err).toContain("data.dataset: 'mq2008' comes from @mtl2r/datasets, which is not installed");
    expect(err).toContain('pnpm add @mtl2r/datasets');
  });
});
