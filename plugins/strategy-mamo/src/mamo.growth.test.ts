import { selectBackend } from '@mtl2r/backend';
import { createCombineInput, createStrategy } from '@mtl2r/core';
import { createRanker, pairModuleParameterCount, type Ranker } from '@mtl2r/encoder';
import { listNetValue } from '@mtl2r/losses';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mamoPlugin } from './mamo.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

/** Task gradients whose sign pattern per block is chosen: block 0 [+, -, +], block 1 [+, +, -]. */
function patternedGrads(ranker: Ranker): tf.Tensor2D {
  const layout = ranker.sharedLayout();
  const signs: Record<number, number[]> = { 0: [1, -1, 1], 1: [1, 1, -1] };
  const rows = [0, 1, 2].map((k) => {
    const row = new Float32Array(layout.size).fill(0.01 * (k + 1));
    for (const entry of layout.entries) {
      const sign = signs[entry.block]?.[k];
      if (sign !== undefined) row.fill(sign, entry.offset, entry.offset + entry.size);
    }
    return Array.from(row);
  });
  return tf.tensor2d(rows);
}

/** The three tasks' ListNet losses of the ranker on one batch (labels from the seed), as plain numbers. */
function taskLosses(ranker: Ranker, features: tf.Tensor3D, mask: tf.Tensor2D, training: boolean): number[] {
  return tf.tidy(() => {
    const scores = ranker.apply(features, mask, { training, dropoutSeed: 11 });
    const labels = tf.floor(tf.mul(tf.randomUniform(mask.shape, 0, 1, 'float32', 5), 3)) as tf.Tensor2D;
    return [0, 1, 2].map((k) => {
      const taskScores = tf.squeeze(tf.slice(scores, [0, 0, k], [-1, -1, 1]), [2]) as tf.Tensor2D;
      return listNetValue(taskScores, labels, mask).dataSync()[0] as number;
    });
  });
}

describe('growth through the real encoder', () => {
  it('the grown model computes exactly what the base computed (same batch, eval and seeded training mode)', () => {
    const ranker = createRanker(
      {
        featureCount: 5,
        taskCount: 3,
        modelDim: 8,
        blocks: 2,
        heads: 2,
        ffnDim: 16,
        dropout: 0.1,
        perTaskHeads: true,
      },
      7,
    );
    const features = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 3) as tf.Tensor3D;
    const mask = tf.tensor2d([
      [1, 1, 1, 1],
      [1, 1, 1, 0],
      [1, 1, 0, 0],
    ]);
    const strategy = createStrategy(mamoPlugin, {
      taskNames: ['relevance', 'pagerank', 'inlinks'],
      options: { searchSteps: 1 },
    });
    strategy.attachModel?.(ranker);
    const baseParameters = ranker.parameterCount();
    const evalBefore = taskLosses(ranker, features, mask, false);
    const trainBefore = taskLosses(ranker, features, mask, true);

    const grads = patternedGrads(ranker);
    strategy.combine(
      createCombineInput({
        step: 0,
        epoch: 0,
        losses: Float32Array.of(1, 1, 1),
        grads,
        layout: ranker.sharedLayout(),
      }),
    );
    grads.dispose();

    // Q: block 0 pairs (0,1) and (1,2) conflict, block 1 pairs (0,2) and (1,2): all at the mean 1.
    expect(ranker.pairModules().map(({ taskA, taskB, block }) => `${taskA}-${taskB}@${block}`)).toEqual([
      '0-1@0',
      '1-2@0',
      '0-2@1',
      '1-2@1',
    ]);
    const perModule = pairModuleParameterCount(8, ranker.config.pairModuleDim);
    expect(ranker.parameterCount()).toBe(baseParameters + 4 * perModule);
    expect(taskLosses(ranker, features, mask, false)).toEqual(evalBefore);
    expect(taskLosses(ranker, features, mask, true)).toEqual(trainBefore);
    // The modules are live: once a fusion weight moves, its tasks' losses move and the third's does not.
    const fusion = ranker.namedVariables().find((r) => r.name === 'pairs.0-1.0.fusion.0');
    fusion?.variable.assign(tf.scalar(0.5));
    const moved = taskLosses(ranker, features, mask, false);
    expect(moved[0]).not.toBe(evalBefore[0]);
    expect(moved.slice(1)).toEqual(evalBefore.slice(1));
    strategy.dispose();
    ranker.dispose();
    tf.dispose([features, mask]);
  });
});
