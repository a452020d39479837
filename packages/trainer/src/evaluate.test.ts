import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { loadSplit, type RankingSplit, taskLabels } from '@mtl2r/data';
import { createRanker, type Ranker } from '@mtl2r/encoder';
import { createLoss } from '@mtl2r/losses';
import { evaluateRanking } from '@mtl2r/metrics';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSplit, scoreSplit } from './evaluate.js';
import { writeMq2008Subset } from './test-support.js';

let split: RankingSplit;
let ranker: Ranker;

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
  const files = writeMq2008Subset(mkdtempSync(join(tmpdir(), 'mtl2r-eval-')), {
    train: 10,
    vali: 1,
    test: 1,
  });
  split = await loadSplit(
    files.train,
    {
      tasks: [
        { name: 'relevance', source: 'label' },
        { name: 'pagerank', feature: 41, transform: 'quantile-grades:3' },
      ],
      featureCount: 46,
    },
    { cacheDir: false },
  );
  ranker = createRanker(
    {
      featureCount: split.featureCount,
      taskCount: 2,
      modelDim: 8,
      blocks: 1,
      heads: 2,
      ffnDim: 16,
      perTaskHeads: true,
    },
    11,
  );
});

afterAll(() => ranker.dispose());

describe('scoreSplit / evaluateSplit', () => {
  it('scores every document in its place whatever the batching (padding never leaks into real scores)', () => {
    const one = scoreSplit(ranker, split, 1);
    const all = scoreSplit(ranker, split, 64);
    expect(one).toHaveLength(2);
    expect(one[0]?.length).toBe(split.queryOffsets[split.queryOffsets.length - 1]);
    for (let h = 0; h < 2; h++) {
      (one[h] as Float32Array).forEach((s, i) => {
        expect(Math.abs(s - (all[h]?.[i] as number))).toBeLessThan(1e-5);
      });
    }
  });

  it("computes each task's metrics from its own head and its loss in evaluation mode", () => {
    const before = tf.memory().numTensors;
    const results = evaluateSplit(ranker, split, ['ndcg@5', 'map'], {
      losses: [createLoss('listNet'), createLoss('listNet')],
      batchSize: 4,
    });
    expect(tf.memory().numTensors).toBe(before);
    const scores = scoreSplit(ranker, split);
    results.forEach((result, k) => {
      const expected = evaluateRanking(scores[k] as Float32Array, taskLabels(split, k), split.queryOffsets, [
        'ndcg@5',
        'map',
      ]);
      expect(result.metrics).toEqual({ 'ndcg@5': expected[0]?.mean, map: expected[1]?.mean });
      expect(result.loss).toBeGreaterThan(0);
    });
    expect(results.map((r) => r.task)).toEqual(['relevance', 'pagerank']);
  });
});
