import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ndcgHypervolume } from '@mtl2r/metrics';
import { evaluateFile, loadTrainedModel, predictFile, writeBundledSubset } from '@mtl2r/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { runCli } from '../run.js';

let dir: string;
let testFile: string;

function writeRunConfig(name: string, strategy: string, model: string): void {
  writeFileSync(
    join(dir, name),
    `backend: cpu
data: { train: ${join(dir, 'data', 'train.txt')}, cacheDir: false, spec: { tasks: [{ name: relevance, source: label }, { name: pagerank, feature: 41 }], featureCount: 46 } }
model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16${model} }
losses: [{ name: listNet }, { name: listNet }]
strategy: ${strategy}
training: { epochs: 1, batchSize: 8 }
`,
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtl2r-cli-preference-'));
  const files = writeBundledSubset('mq2008', join(dir, 'data'), { train: 16, vali: 0, test: 6 });
  testFile = files.test;
  writeRunConfig('pfl.yaml', '{ id: pfl }', ', conditioning: input');
  writeRunConfig('ls.yaml', '{ id: ls, preference: [0.5, 0.5] }', '');
  expect(await runCli(['train', '-c', 'pfl.yaml', '--out', 'pfl', '--quiet'], memoryIo(dir))).toBe(0);
  expect(await runCli(['train', '-c', 'ls.yaml', '--out', 'ls', '--quiet'], memoryIo(dir))).toBe(0);
}, 120_000);

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await runCli([...args, '--backend', 'cpu'], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('a preference-conditioned model from the command line', () => {
  it('predict --preference writes the model scores at that (normalised) preference', async () => {
    expect(
      (await cli('predict', 'pfl', '--data', testFile, '--out', 'a.tsv', '--preference', '1,3')).code,
    ).toBe(0);
    expect(
      (await cli('predict', 'pfl', '--data', testFile, '--out', 'b.tsv', '--preference', '0.9,0.1')).code,
    ).toBe(0);
    const read = (file: string) =>
      readFileSync(join(dir, file), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => Number(line.split('\t')[2]));
    const model = await loadTrainedModel(join(dir, 'pfl'));
    try {
      const { scores } = await predictFile(model, testFile, undefined, { preference: [0.25, 0.75] });
      expect(read('a.tsv')).toEqual(Array.from(scores[0] ?? []));
    } finally {
      model.dispose();
    }
    expect(read('b.tsv')).not.toEqual(read('a.tsv'));
  });

  it('eval --front N prints N rows and the hypervolume of their NDCG@10 vectors', async () => {
    const { code, out } = await cli('eval', 'pfl', '--data', testFile, '--front', '3', '--json');
    expect(code).toBe(0);
    const front = (
      JSON.parse(out) as {
        front: { points: { preference: number[]; values: number[] }[]; hypervolume: number };
      }
    ).front;
    expect(front.points.map((p) => p.preference)).toEqual([
      [1, 0],
      [0.5, 0.5],
      [0, 1],
    ]);
    const model = await loadTrainedModel(join(dir, 'pfl'));
    try {
      const middle = await evaluateFile(model, testFile, ['ndcg@10'], undefined, { preference: [0.5, 0.5] });
      expect(front.points[1]?.values).toEqual(middle.map((t) => t.metrics['ndcg@10']));
    } finally {
      model.dispose();
    }
    expect(front.hypervolume).toBeCloseTo(ndcgHypervolume(front.points.map((p) => p.values)), 12);
    const table = await cli('eval', 'pfl', '--data', testFile, '--front', 'deepmtl2r');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^preference\s+relevance ndcg@10\s+pagerank ndcg@10$/m);
    expect(table.out).toMatch(/^0\.001,0\.999\s+\d\.\d{4}\s+\d\.\d{4}$/m);
    expect(table.out).toMatch(/hypervolume \(1 - ndcg@10, reference 1\): \d\.\d{4} over 10 preferences/);
  });

  it('refuses to score a conditioned model without --preference, and a bad --preference (exit 2)', async () => {
    const missing = await cli('predict', 'pfl', '--data', testFile, '--out', 'c.tsv');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(
      /is conditioned on a preference .* needs --preference with 2 numbers, one per task \(relevance, pagerank\)/,
    );
    const short = await cli('eval', 'pfl', '--data', testFile, '--preference', '1');
    expect(short.code).toBe(2);
    expect(short.err).toContain('--preference: the preference has 1 numbers, but the ranker has 2 tasks');
    const word = await cli('eval', 'pfl', '--data', testFile, '--preference', '0.5,x');
    expect(word.code).toBe(2);
    expect(word.err).toContain("--preference: entry 2 is 'x'; expected a number");
    const both = await cli('eval', 'pfl', '--data', testFile, '--preference', '0.5,0.5', '--front', '3');
    expect(both.code).toBe(2);
    expect(both.err).toContain('give only one of them');
  });

  it('refuses --preference and --front for an unconditioned model (exit 2)', async () => {
    const predict = await cli(
      'predict',
      'ls',
      '--data',
      testFile,
      '--out',
      'd.tsv',
      '--preference',
      '0.5,0.5',
    );
    expect(predict.code).toBe(2);
    expect(predict.err).toMatch(
      /--preference: .* is not conditioned on a preference \(trained without model.conditioning\)/,
    );
    const front = await cli('eval', 'ls', '--data', testFile, '--front', '3');
    expect(front.code).toBe(2);
    expect(front.err).toMatch(/--front: .* is not conditioned on a preference/);
  });
});
