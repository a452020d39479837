/*
 * Shared by this package's tests (not exported): small subsets of the bundled MQ2008 data and a small
 * config that trains in well under a second per epoch on the cpu backend.
 */
import { CONTRACT_VERSION, defineStrategy, type GradientSpace, type Strategy } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type SubsetFiles, writeBundledSubset } from './bundled-subset.js';
import type { TrainConfigInput } from './config.js';

/** The first queries of each bundled MQ2008 split as plain LETOR files (tests use 32 / 16 / 16). */
export function writeMq2008Subset(dir: string, queries = { train: 32, vali: 16, test: 16 }): SubsetFiles {
  return writeBundledSubset('mq2008', dir, queries);
}

/** A two-task config on the subset: relevance + PageRank (feature 41), a tiny model, LS. */
export function smallConfig(
  files: { train: string; vali?: string; test?: string },
  overrides: Partial<TrainConfigInput> = {},
): TrainConfigInput {
  return {
    seed: 3,
    backend: 'cpu',
    data: {
      ...files,
      cacheDir: false,
      spec: {
        tasks: [
          { name: 'relevance', source: 'label' },
          { name: 'pagerank', feature: 41 },
        ],
        featureCount: 46,
        maxLabel: 2,
      },
    },
    model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16, dropout: 0.1 },
    losses: [{ name: 'listNet' }, { name: 'listNet' }],
    strategy: { id: 'ls', preference: [0.7, 0.3] },
    optimizer: { name: 'adam', learningRate: 0.01 },
    training: { epochs: 2, batchSize: 8, logEvery: 1 },
    evaluation: { metrics: ['ndcg@5', 'ndcg@10'] },
    earlyStopping: { metric: 'ndcg@10' },
    ...overrides,
  };
}

/**
 * A strategy for tests of the trainer's plumbing: fixed weights in any gradient space (options.space),
 * optionally returning `sum_i weights[i] * g_i` as an explicit direction, and recording what it was given.
 */
export const fixedWeightsPlugin = defineStrategy({
  id: 'fixed_weights',
  contractVersion: CONTRACT_VERSION,
  family: 'weighting',
  paretoFront: false,
  needs: { grads: ['none', 'shared', 'representation'] },
  options: z.strictObject({
    space: z.enum(['none', 'shared', 'representation']).default('none'),
    weights: z.array(z.number()).optional(),
    direction: z.boolean().default(false),
    lossesAfterUpdate: z.boolean().default(false),
  }),
  create(
    options,
    context,
  ): Strategy & { seen: { gradShape?: number[]; lossesAfter?: Float32Array; steps: number } } {
    const weights = options.weights ?? Array.from({ length: context.taskCount }, () => 1 / context.taskCount);
    const seen: { gradShape?: number[]; lossesAfter?: Float32Array; steps: number } = { steps: 0 };
    const space: GradientSpace = options.space;
    return {
      needs: { grads: space, lossesAfterUpdate: options.lossesAfterUpdate },
      seen,
      combine({ grads }) {
        seen.steps++;
        if (grads !== undefined) seen.gradShape = [...grads.shape];
        if (!options.direction || grads === undefined) return { weights };
        // sum_i w_i g_i as an explicit direction: the trainer must move exactly as with the weights alone.
        const direction = tf.tidy(
          () =>
            tf.reshape(
              tf.matMul(tf.tensor2d([Array.from(weights)], [1, weights.length]), grads),
              [-1],
            ) as tf.Tensor1D,
        );
        return { weights, direction };
      },
      afterUpdate({ lossesAfter }) {
        if (lossesAfter !== undefined) seen.lossesAfter = lossesAfter;
      },
      state: () => ({ steps: seen.steps }),
      loadState(state) {
        seen.steps = (state as { steps: number }).steps;
      },
      dispose() {},
    };
  },
});
