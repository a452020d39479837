import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTrainedModel, predictFile, writeBundledSubset } from '@mtl2r/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { runCli } from '../run.js';

let dir: string;
let testFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtl2r-cli-predict-'));
  const files = writeBundledSubset('mq2008', join(dir, 'data'), { train: 16, vali: 8, test: 6 });
  testFile = files.test;
  writeFileSync(
    join(dir, 'c.yaml'),
    `backend: cpu
data: { train: ${files.train}, vali: ${files.vali}, cacheDir: false, spec: { tasks: [{ name: relevance, source: label }, { name: pagerank, feature: 41 }], featureCount: 46 } }
model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16, perTaskHeads: true }
losses: [{ name: listNet }, { name: listNet }]
strategy: { id: ls }
training: { epochs: 1, batchSize: 8 }
`,
  );
  expect(await runCli(['train', '-c', 'c.yaml', '--out', 'run', '--quiet'], memoryIo(dir))).toBe(0);
});

describe('mtl2r predict', () => {
  it('writes qid, document index and one score per head for every document, in file order', async () => {
    const io = memoryIo(dir);
    expect(
      await runCli(['predict', 'run', '--data', testFile, '--out', 'out/scores.tsv', '--backend', 'cpu'], io),
    ).toBe(0);
    const lines = readFileSync(join(dir, 'out/scores.tsv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('qid\tdoc\tscore_relevance\tscore_pagerank');
    const fileLines = readFileSync(testFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(fileLines.length + 1);
    expect(io.out.join('')).toContain(`wrote ${fileLines.length} scores for 6 queries`);
    // Rows follow the file: same qids in order, document index counting within each query.
    const qids = fileLines.map((l) => /qid:(\S+)/.exec(l)?.[1]);
    expect(lines.slice(1).map((l) => l.split('\t')[0])).toEqual(qids);
    expect(lines.slice(1, 4).map((l) => l.split('\t')[1])).toEqual(['0', '1', '2']);
    // The numbers are the model's scores.
    const model = await loadTrainedModel(join(dir, 'run'));
    try {
      const { scores } = await predictFile(model, testFile);
      lines.slice(1).forEach((line, i) => {
        const [, , a, b] = line.split('\t');
        expect([Number(a), Number(b)]).toEqual([scores[0]?.[i], scores[1]?.[i]]);
      });
    } finally {
      model.dispose();
    }
  });
});
