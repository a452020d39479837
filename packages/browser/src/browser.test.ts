import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ls from '@mtl2r/strategy-ls';
import { loadTrainedModel, predictFile } from '@mtl2r/trainer';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  combineScores,
  loadBrowserModel,
  rankDocuments,
  readQueries,
  scoreQueries,
  selectModelFiles,
} from './index.js';
import { pickFolder, trainTestRun } from './test-run.js';

let dir: string;
let runDir: string;
let testFile: string;

beforeAll(async () => {
  ({ dir, runDir, testFile } = await trainTestRun(ls, { train: 24, vali: 8, test: 12 }));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('@mtl2r/browser', () => {
  it("scores a run's best model exactly as the Node predict path does (per-task heads, 1e-6)", async () => {
    const model = await loadBrowserModel(selectModelFiles(pickFolder(runDir)));
    const split = readQueries(model, readFileSync(testFile, 'utf8'), 'test.txt');
    const scored = scoreQueries(model, split);
    const node = await loadTrainedModel(runDir);
    const reference = await predictFile(node, testFile);
    expect(scored.map((q) => q.qid)).toEqual(reference.split.queryIds);
    scored.forEach((query, q) => {
      const start = reference.split.queryOffsets[q] as number;
      query.scores.forEach((row, d) => {
        row.forEach((value, h) => {
          expect(Math.abs(value - ((reference.scores[h] as Float32Array)[start + d] as number))).toBeLessThan(
            1e-6,
          );
        });
      });
    });
    model.dispose();
    node.dispose();
  });

  it('combines the task heads by the preference, and a different preference re-ranks', async () => {
    const model = await loadBrowserModel(selectModelFiles(pickFolder(runDir)));
    const [query] = scoreQueries(model, readQueries(model, readFileSync(testFile, 'utf8'), 'test.txt'));
    if (query === undefined) throw new Error('no query');
    const a = combineScores(query, [1, 0]);
    expect(a).toEqual(query.scores.map((row) => row[0]));
    const mixed = combineScores(query, [3, 1]);
    mixed.forEach((value, d) => {
      expect(value).toBeCloseTo(
        0.75 * (query.scores[d]?.[0] as number) + 0.25 * (query.scores[d]?.[1] as number),
        12,
      );
    });
    expect(rankDocuments([0.1, 0.5, 0.5, -1])).toEqual([1, 2, 0, 3]);
    expect(() => combineScores(query, [1])).toThrow('preference has 1 entries; the model has 2 task heads');
    model.dispose();
  });

  it('reads JSON queries like the equivalent svmlight lines', async () => {
    const model = await loadBrowserModel(selectModelFiles(pickFolder(runDir)));
    const features = Object.fromEntries(Array.from({ length: 46 }, (_, j) => [String(j + 1), (j % 7) / 7]));
    const json = JSON.stringify([{ qid: 7, docs: [features, { ...features, '3': 0.9 }] }]);
    const lines = [0, 1]
      .map(
        (d) =>
          `0 qid:7 ${Array.from({ length: 46 }, (_, j) => `${j + 1}:${d === 1 && j === 2 ? 0.9 : (j % 7) / 7}`).join(' ')}`,
      )
      .join('\n');
    const fromJson = scoreQueries(model, readQueries(model, json, 'q.json'));
    const fromLines = scoreQueries(model, readQueries(model, lines, 'q.txt'));
    expect(fromJson).toEqual(fromLines);
    model.dispose();
  });

  it('names the problem like the CLI: missing weights, checksum mismatch, malformed line, missing features', async () => {
    const files = pickFolder(runDir);
    expect(() => selectModelFiles(files.filter((f) => !f.path.endsWith('best/model/weights.bin')))).toThrow(
      'run/checkpoints/best/model/weights.bin: not found',
    );
    expect(() => selectModelFiles([])).toThrow('no trained model among the 0 file(s) picked');
    const chosen = selectModelFiles(files);
    const damaged = { ...chosen, weights: chosen.weights.slice() };
    damaged.weights[10] = (damaged.weights[10] as number) ^ 0xff;
    await expect(loadBrowserModel(damaged)).rejects.toThrow('weights.bin: checksum mismatch');
    const model = await loadBrowserModel(chosen);
    expect(() => readQueries(model, '0 qid:1 1:0.5\n1 qid:1 1:abc\n', 'bad.txt')).toThrow(/bad\.txt:2/);
    expect(() => readQueries(model, '0 qid:1 1:0.5 2:1\n', 'short.txt')).toThrow(/short\.txt.*feature/);
    expect(() => readQueries(model, '[{"qid": 1, "docs": [{"x": 1}]}]', 'q.json')).toThrow(
      'q.json: [0].docs[0]["x"]',
    );
    model.dispose();
  });

  it('has no Node API in its import graph: it bundles for the browser platform (size reported)', async () => {
    const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      minify: true,
      metafile: true,
      conditions: ['@mtl2r/source'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.startsWith('node:'))).toBe(false);
    expect(inputs.some((path) => path.includes('packages/encoder/src/save-load'))).toBe(false);
    const bytes = result.outputFiles?.[0]?.contents.byteLength ?? 0;
    writeFileSync(join(dir, 'bundle-size.txt'), String(bytes));
    expect(bytes).toBeGreaterThan(100_000); // tfjs-core and both backends are in it
  });
});
