import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { createStrategy, PluginError, type Strategy } from '@mtl2r/core';
import { loadSplit, TrainingBatcher } from '@mtl2r/data';
import { createRanker, type Ranker } from '@mtl2r/encoder';
import { createLoss } from '@mtl2r/losses';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sliceLists } from './micro-batches.js';
import { batchLosses, computeStepGradients, type MicroBatch, type StepModel } from './step-gradients.js';
import { disposeBatchTensors, toBatchTensors, trainingLosses } from './task-losses.js';
import { fixedWeightsPlugin, writeMq2008Subset } from './test-support.js';

let model: StepModel;
let ranker: Ranker;
let micro: MicroBatch;
const weights = [0.8, 0.2];

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
  const files = writeMq2008Subset(mkdtempSync(join(tmpdir(), 'mtl2r-step-')), {
    train: 12,
    vali: 1,
    test: 1,
  });
  const split = await loadSplit(
    files.train,
    {
      tasks: [
        { name: 'relevance', source: 'label' },
        { name: 'pagerank', feature: 41, transform: 'raw' },
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
      dropout: 0.2,
      perTaskHeads: true,
    },
    5,
  );
  model = {
    ranker,
    losses: [createLoss('listNet'), createLoss('rankNet')],
    taskNames: ['relevance', 'pagerank'],
  };
  const batch = new TrainingBatcher(split, { batchSize: 6, maxSlateLength: 240, seed: 1 }).nextBatch();
  if (batch === null) throw new Error('no batch');
  micro = { tensors: toBatchTensors(batch), share: 1, seed: 1234 };
});

afterAll(() => {
  disposeBatchTensors(micro.tensors);
  ranker.dispose();
});

function strategy(options: Record<string, unknown>): Strategy {
  return createStrategy(fixedWeightsPlugin, {
    taskNames: ['relevance', 'pagerank'],
    options: { weights, ...options },
  });
}

/** The reference: d(sum_k w_k L_k)/d(every variable) by tfjs's own autodiff, same dropout masks. */
function referenceGradients(): tf.Tensor[] {
  const variables = ranker.namedVariables().map((r) => r.variable);
  const { value, grads } = tf.variableGrads(() => {
    const losses = trainingLosses(ranker, model.losses, micro.tensors, micro.seed);
    return tf.addN(losses.map((l, k) => tf.mul(l, weights[k] as number))) as tf.Scalar;
  }, variables);
  value.dispose();
  return variables.map((v) => grads[v.name] as tf.Tensor);
}

function maxDifference(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): number {
  return Math.max(
    ...a.map((t, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(t, b[i] as tf.Tensor))).dataSync()[0] as number)),
  );
}

describe('computeStepGradients', () => {
  for (const [space, direction] of [
    ['none', false],
    ['shared', false],
    ['shared', true],
    ['representation', false],
    ['representation', true],
  ] as const) {
    it(`gives d(sum w_k L_k) for every variable in '${space}' mode${direction ? ' with an explicit direction' : ''}`, async () => {
      const reference = referenceGradients();
      const s = strategy({ space, direction });
      const before = tf.memory().numTensors;
      const result = await computeStepGradients(model, [micro], s, { step: 0, epoch: 0 });
      expect(Array.from(result.weights)).toEqual([Float32Array.from([0.8])[0], Float32Array.from([0.2])[0]]);
      expect(result.gradients).toHaveLength(reference.length);
      expect(maxDifference(result.gradients, reference)).toBeLessThan(1e-5);
      // The largest gradient entry is far above the tolerance, so the comparison means something.
      expect(
        Math.max(...reference.map((g) => tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0] as number))),
      ).toBeGreaterThan(1e-3);
      tf.dispose(result.gradients);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(reference);
    });
  }

  it('hands the strategy G of shape [K, P] (shared) and [K, B*L*d] (representation)', async () => {
    const shared = strategy({ space: 'shared' }) as Strategy & { seen: { gradShape?: number[] } };
    tf.dispose((await computeStepGradients(model, [micro], shared, { step: 0, epoch: 0 })).gradients);
    expect(shared.seen.gradShape).toEqual([2, ranker.sharedLayout().size]);
    const representation = strategy({ space: 'representation' }) as Strategy & {
      seen: { gradShape?: number[] };
    };
    tf.dispose((await computeStepGradients(model, [micro], representation, { step: 0, epoch: 0 })).gradients);
    const [b, l] = micro.tensors.mask.shape;
    expect(representation.seen.gradShape).toEqual([2, b * l * 8]);
  });

  for (const space of ['none', 'shared', 'representation'] as const) {
    it(`accumulates micro-batches to the full batch's gradient in '${space}' mode (dropout off)`, async () => {
      const noDropout = createRanker({ ...ranker.config, dropout: 0 }, 5);
      const full: StepModel = {
        ranker: noDropout,
        losses: [createLoss('listNet'), createLoss('listNet')],
        taskNames: model.taskNames,
      };
      const batch = new TrainingBatcher(
        await loadSplit(
          writeMq2008Subset(mkdtempSync(join(tmpdir(), 'mtl2r-micro-')), { train: 12, vali: 1, test: 1 })
            .train,
          {
            tasks: [
              { name: 'relevance', source: 'label' },
              { name: 'pagerank', feature: 41, transform: 'raw' },
            ],
            featureCount: 46,
          },
          { cacheDir: false },
        ),
        { batchSize: 6, maxSlateLength: 240, seed: 1 },
      ).nextBatch();
      if (batch === null) throw new Error('no batch');
      const whole: MicroBatch = { tensors: toBatchTensors(batch), share: 1, seed: 9 };
      const parts: MicroBatch[] = [sliceLists(batch, 0, 2), sliceLists(batch, 2, 6)].map((b) => ({
        tensors: toBatchTensors(b),
        share: b.batchSize / 6,
        seed: 9,
      }));
      const a = await computeStepGradients(full, [whole], strategy({ space }), { step: 0, epoch: 0 });
      const c = await computeStepGradients(full, parts, strategy({ space }), { step: 0, epoch: 0 });
      expect(Array.from(c.losses)[0]).toBeCloseTo(Array.from(a.losses)[0] as number, 5);
      expect(Array.from(batchLosses(full, parts))[1]).toBeCloseTo(Array.from(a.losses)[1] as number, 5);
      expect(maxDifference(a.gradients, c.gradients)).toBeLessThan(1e-5);
      tf.dispose([...a.gradients, ...c.gradients]);
      for (const m of [whole, ...parts]) disposeBatchTensors(m.tensors);
      noDropout.dispose();
    });
  }

  it('stops with the step and task when a loss is not finite', async () => {
    const nanLabels: MicroBatch = {
      ...micro,
      tensors: {
        ...micro.tensors,
        labels: [
          micro.tensors.labels[0] as tf.Tensor2D,
          tf.fill(micro.tensors.mask.shape, Number.NaN) as tf.Tensor2D,
        ],
      },
    };
    const listNetBoth: StepModel = { ...model, losses: [createLoss('listNet'), createLoss('listNet')] };
    const before = tf.memory().numTensors;
    await expect(
      computeStepGradients(listNetBoth, [nanLabels], strategy({ space: 'none' }), { step: 17, epoch: 2 }),
    ).rejects.toThrow(/non-finite loss at step 17 for task 'pagerank': NaN/);
    await expect(
      computeStepGradients(listNetBoth, [nanLabels], strategy({ space: 'shared' }), { step: 17, epoch: 2 }),
    ).rejects.toThrow(/task 'pagerank'/);
    expect(tf.memory().numTensors).toBe(before);
    nanLabels.tensors.labels[1]?.dispose();
  });

  it('stops with a PluginError naming the plugin when combine breaks the contract, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    for (const space of ['none', 'shared', 'representation']) {
      const attempt = computeStepGradients(model, [micro], strategy({ space, weights: [1] }), {
        step: 0,
        epoch: 0,
      });
      await expect(attempt).rejects.toBeInstanceOf(PluginError);
      await expect(attempt).rejects.toThrow(
        "strategy 'fixed_weights' broke the strategy contract at combine: returned 1 weights for 2 tasks",
      );
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
