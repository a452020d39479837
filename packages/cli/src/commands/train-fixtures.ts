/*
 * For this package's tests (not exported): tiny two-task configs on the bundled MQ2008 data, and helpers
 * to run the CLI in-process and to inspect what a run directory holds.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBundledSubset } from '@mtl2r/trainer';
import { memoryIo } from '../io.js';
import { runCli } from '../run.js';

export interface TinyData {
  train: string;
  vali: string;
  test: string;
}

/** The first queries of the bundled MQ2008 splits as plain files in `dir/data`. */
export function writeTinyData(dir: string, queries = { train: 16, vali: 8, test: 8 }): TinyData {
  return writeBundledSubset('mq2008', join(dir, 'data'), queries) as TinyData;
}

/**
 * A two-task YAML config (relevance + PageRank, feature 41), tiny model, cpu backend, validated on
 * `metrics`; `extra` is appended.
 */
export function writeTinyConfig(
  dir: string,
  name: string,
  data: TinyData,
  extra = '',
  metrics: readonly string[] = ['ndcg@5'],
): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `seed: 5
backend: cpu
data:
  train: ${data.train}
  vali: ${data.vali}
  test: ${data.test}
  cacheDir: false
  spec:
    tasks:
      - { name: relevance, source: label }
      - { name: pagerank, feature: 41 }
    featureCount: 46
model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16, dropout: 0.1 }
losses: [{ name: listNet }, { name: listNet }]
strategy: { id: ls, preference: [0.5, 0.5] }
training: { epochs: 2, batchSize: 8 }
evaluation: { metrics: [${metrics.join(', ')}] }
${extra}`,
  );
  return file;
}

/** Runs `mtl2r ...argv` in this process with `cwd`; returns the exit code and the output. */
export async function cli(
  cwd: string,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await runCli(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** Every file under `dir`, relative, sorted (to assert nothing was half-written or left behind). */
export function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

/** metrics.jsonl records, parsed. */
export function metricRecords(runDir: string): Record<string, unknown>[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The records logged twice (same metric, step, epoch, split, task): an uninterrupted run has none. */
export function duplicatedRecords(runDir: string): string[] {
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const r of metricRecords(runDir)) {
    const key = JSON.stringify([r.metric, r.step, r.epoch, r.split, r.task]);
    if (seen.has(key)) twice.push(key);
    seen.add(key);
  }
  return twice;
}
