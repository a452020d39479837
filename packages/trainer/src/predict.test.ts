import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { Registry } from '@mtl2r/core';
import ls from '@mtl2r/strategy-ls';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrainConfig } from './config.js';
import { evaluateFile, loadTrainedModel, predict, predictFile } from './predict.js';
import { smallConfig, writeMq2008Subset } from './test-support.js';
import { train } from './trainer.js';

let files: { train: string; vali: string; test: string };
let runDir: string;

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
  const dir = mkdtempSync(join(tmpdir(), 'mtl2r-predict-'));
  files = writeMq2008Subset(join(dir, 'data'), { train: 16, vali: 8, test: 8 });
  runDir = join(dir, 'run');
  await train({
    config: parseTrainConfig(
      smallConfig(files, {
        model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16, perTaskHeads: true },
        training: { epochs: 1, batchSize: 8 },
      }),
    ),
    registry: new Registry().use(ls),
    runDir,
  });
});

/** The test file's raw feature vectors per query, without feature 41 (a label column, not an input). */
function rawLists(): number[][][] {
  const lists = new Map<string, number[][]>();
  for (const line of readFileSync(files.test, 'utf8').trim().split('\n')) {
    const tokens = line.split('#')[0]?.trim().split(/\s+/) ?? [];
    const qid = tokens[1]?.slice(4) as string;
    const vector = tokens
      .slice(2)
      .map((t) => Number(t.split(':')[1]))
      .filter((_, j) => j !== 40);
    lists.set(qid, [...(lists.get(qid) ?? []), vector]);
  }
  return [...lists.values()];
}

describe('predict', () => {
  it('scores raw feature vectors exactly as scoring the file does, one score per head', async () => {
    const model = await loadTrainedModel(runDir);
    try {
      expect(model.dir).toBe(join(runDir, 'checkpoints', 'best', 'model'));
      const { split, scores } = await predictFile(model, files.test);
      const lists = rawLists();
      const predicted = predict(model, lists);
      expect(predicted).toHaveLength(split.queryIds.length);
      expect(scores).toHaveLength(2);
      predicted.forEach((list, q) => {
        list.forEach((heads, i) => {
          const row = (split.queryOffsets[q] as number) + i;
          expect(heads).toEqual([scores[0]?.[row], scores[1]?.[row]]);
        });
      });
      // The two heads really differ: per-task scores, not a copy.
      expect(predicted[0]?.[0]?.[0]).not.toBe(predicted[0]?.[0]?.[1]);
    } finally {
      model.dispose();
    }
  });

  it('gives the same test metrics as the training run logged', async () => {
    const model = await loadTrainedModel(runDir);
    try {
      const results = await evaluateFile(model, files.test, ['ndcg@10']);
      const logged = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((r) => r.split === 'test' && r.metric === 'ndcg@10');
      expect(results.map((r) => r.metrics['ndcg@10'])).toEqual(logged.map((r) => r.value));
    } finally {
      model.dispose();
    }
  });

  it('refuses vectors of the wrong width and directories without a model', async () => {
    const model = await loadTrainedModel(runDir, 'last');
    try {
      expect(() => predict(model, [[[1, 2, 3]]])).toThrow(
        /list 0, document 0 has 3 features; the model reads 45/,
      );
    } finally {
      model.dispose();
    }
    await expect(loadTrainedModel(tmpdir())).rejects.toThrow(/no trained model in/);
  });
});
