import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import {
  CONTRACT_VERSION,
  defineStrategy,
  type GrowableModel,
  type MetricRecord,
  Registry,
} from '@mtl2r/core';
import ls from '@mtl2r/strategy-ls';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readCheckpoint } from './checkpoint.js';
import { parseTrainConfig, type TrainConfigInput } from './config.js';
import { fixedWeightsPlugin, smallConfig, writeMq2008Subset } from './test-support.js';
import { type TrainingEvent, train } from './trainer.js';

let files: { train: string; vali: string; test: string };
const registry = () => new Registry().use(ls).use(fixedWeightsPlugin);
const tempDir = (label: string) => mkdtempSync(join(tmpdir(), `mtl2r-trainer-${label}-`));

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
  files = writeMq2008Subset(tempDir('data'));
});

function config(overrides: Partial<TrainConfigInput> = {}) {
  return parseTrainConfig(smallConfig(files, overrides));
}

function metricLines(runDir: string): MetricRecord[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as MetricRecord);
}

function weightBytes(runDir: string, which: 'best' | 'last'): Buffer {
  return readFileSync(join(runDir, 'checkpoints', which, 'model', 'weights.bin'));
}

describe('train', () => {
  it('writes a run directory, logs per-task validation metrics every epoch and evaluates the best model on test', async () => {
    const runDir = join(tempDir('run'), 'run');
    const tensorsAtStep: number[] = [];
    const before = tf.memory().numTensors;
    const result = await train({
      config: config(),
      registry: registry(),
      runDir,
      onEvent: (event) => {
        if (event.type === 'step') tensorsAtStep.push(tf.memory().numTensors);
      },
    });
    expect(result.status).toBe('completed');
    expect(result.epochs).toBe(2);
    expect(result.step).toBe(8); // 32 queries / batch 8 = 4 steps per epoch
    expect(tensorsAtStep).toHaveLength(8);
    expect(new Set(tensorsAtStep.slice(1)).size).toBe(1); // flat across steps
    expect(tf.memory().numTensors).toBe(before); // and nothing left after training

    const resolved = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
    expect(resolved.data.train).toBe(files.train);
    expect(resolved.earlyStopping).toMatchObject({ metric: 'ndcg@10', task: 'relevance' });
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ seed: 3, backend: { name: 'cpu' } });
    expect(run.versions['@tensorflow/tfjs-core']).toBe('4.22.0');

    const records = metricLines(runDir);
    const vali = records.filter((r) => r.split === 'vali' && r.metric === 'ndcg@10');
    expect(vali.map((r) => [r.epoch, r.task])).toEqual([
      [0, 'relevance'],
      [0, 'pagerank'],
      [1, 'relevance'],
      [1, 'pagerank'],
    ]);
    for (const r of vali) expect(r.value).toBeGreaterThan(0);
    expect(records.filter((r) => r.split === 'train' && r.metric === 'loss')).toHaveLength(4);
    expect(result.test?.map((t) => t.task)).toEqual(['relevance', 'pagerank']);
    const testRecords = records.filter((r) => r.split === 'test' && r.metric === 'ndcg@10');
    expect(testRecords.map((r) => r.value)).toEqual(result.test?.map((t) => t.metrics['ndcg@10']));

    const last = await readCheckpoint(join(runDir, 'checkpoints', 'last'));
    expect(last.progress).toMatchObject({ step: 8, epoch: 2, finished: true });
    expect(last.optimizer.updates).toBe(8);
    last.ranker.dispose();
    expect(existsSync(join(runDir, 'checkpoints', 'best', 'state.json'))).toBe(true);
  });

  it('resumes an interrupted run to exactly the numbers of an uninterrupted one', async () => {
    const straight = join(tempDir('straight'), 'run');
    const whole = await train({ config: config(), registry: registry(), runDir: straight });

    const interrupted = join(tempDir('interrupted'), 'run');
    const controller = new AbortController();
    const stopAfterStep = (event: TrainingEvent) => {
      if (event.type === 'step' && event.step === 3) controller.abort(); // mid-epoch 1
    };
    const first = await train({
      config: config(),
      registry: registry(),
      runDir: interrupted,
      signal: controller.signal,
      onEvent: stopAfterStep,
    });
    expect(first).toMatchObject({ status: 'interrupted', step: 3, epochs: 0 });
    const saved = await readCheckpoint(join(interrupted, 'checkpoints', 'last'));
    expect(saved.progress).toMatchObject({
      step: 3,
      epoch: 0,
      finished: false,
      batcher: { epoch: 0, cursor: 3 },
    });
    saved.ranker.dispose();

    const resumed = await train({
      config: config(),
      registry: registry(),
      runDir: interrupted,
      resume: true,
    });
    expect(resumed.status).toBe('completed');
    expect(resumed.step).toBe(whole.step);
    expect(resumed.test).toEqual(whole.test);
    expect(weightBytes(interrupted, 'last').equals(weightBytes(straight, 'last'))).toBe(true);
    expect(weightBytes(interrupted, 'best').equals(weightBytes(straight, 'best'))).toBe(true);
    expect(metricLines(interrupted)).toEqual(metricLines(straight));
  });

  it('stops early after `patience` validations without improvement and keeps the best epoch', async () => {
    const runDir = join(tempDir('early'), 'run');
    // A learning rate too small to change any score: validation never improves after epoch 0.
    const result = await train({
      config: config({
        optimizer: { name: 'sgd', learningRate: 1e-20 },
        training: { epochs: 6, batchSize: 8 },
        earlyStopping: { metric: 'ndcg@10', patience: 2 },
      }),
      registry: registry(),
      runDir,
    });
    expect(result).toMatchObject({ status: 'early-stopped', epochs: 3, best: { epoch: 0 } });
    expect(metricLines(runDir).some((r) => r.metric === 'early_stopped')).toBe(true);
  });

  it('stops on a non-finite loss with the step, task and a hint, leaving the last good checkpoint', async () => {
    const runDir = join(tempDir('nan'), 'run');
    const run = train({
      config: config({
        optimizer: { name: 'sgd', learningRate: 1e30 },
        training: { epochs: 5, batchSize: 8 },
      }),
      registry: registry(),
      runDir,
    });
    await expect(run).rejects.toThrow(
      /non-finite (loss|gradient) at step \d+ (for task '(relevance|pagerank)')?/,
    );
    const error = (await run.catch((e: unknown) => e)) as Error & { hint?: string; step: number };
    expect(error.hint).toMatch(/learningRate|clipNorm/);
    // Whatever checkpoint exists is from before the failing step and loads with finite weights.
    if (existsSync(join(runDir, 'checkpoints', 'last'))) {
      const last = await readCheckpoint(join(runDir, 'checkpoints', 'last'));
      expect(last.progress.step).toBeLessThanOrEqual(error.step);
      for (const v of last.ranker.namedVariables())
        expect(tf.tidy(() => tf.all(tf.isFinite(v.variable)).dataSync()[0])).toBe(1);
      last.ranker.dispose();
    }
  });

  it('gives a losses-after-update strategy the same batch re-evaluated after the step', async () => {
    const runDir = join(tempDir('after'), 'run');
    let lossesAfter: Float32Array | undefined;
    const plugin = { ...fixedWeightsPlugin, id: 'after_probe' };
    const reg = new Registry().use({
      ...plugin,
      create(options, context) {
        const strategy = fixedWeightsPlugin.create(options, context);
        const afterUpdate = strategy.afterUpdate?.bind(strategy);
        return {
          ...strategy,
          afterUpdate: (input) => {
            lossesAfter = input.lossesAfter;
            afterUpdate?.(input);
          },
        };
      },
    } as typeof fixedWeightsPlugin);
    await train({
      config: config({
        strategy: { id: 'after_probe', options: { lossesAfterUpdate: true } },
        training: { epochs: 1, batchSize: 8 },
      }),
      registry: reg,
      runDir,
    });
    expect(lossesAfter).toHaveLength(2);
    expect(Array.from(lossesAfter ?? []).every(Number.isFinite)).toBe(true);
  });

  it("updates a strategy's own variables by the gradient of its objective, and resumes them", async () => {
    // Uncertainty-weighting-like: weights 0.5 exp(-s_k), objective sum 0.5 (exp(-s) L + s).
    const logVariances: tf.Variable[] = [];
    const uwLike = defineStrategy({
      id: 'uw_like',
      contractVersion: CONTRACT_VERSION,
      family: 'weighting',
      paretoFront: false,
      needs: { grads: 'none' },
      options: z.strictObject({}),
      create(_options, context) {
        const s = tf.variable(tf.zeros([context.taskCount]), true);
        logVariances.push(s);
        return {
          needs: { grads: 'none' },
          combine: () => ({ weights: Array.from(s.dataSync(), (v) => 0.5 * Math.exp(-v)) }),
          trainableVariables: () => [s],
          variableObjective: (losses) =>
            tf.tidy(() => tf.sum(tf.mul(0.5, tf.add(tf.mul(tf.exp(tf.neg(s)), losses), s))) as tf.Scalar),
          state: () => Array.from(s.dataSync()),
          loadState: (state) => s.assign(tf.tensor1d(state as number[])),
          dispose: () => s.dispose(),
        };
      },
    });
    const reg = () => new Registry().use(uwLike);
    const uwConfig = config({ strategy: { id: 'uw_like' }, training: { epochs: 2, batchSize: 8 } });
    const straight = join(tempDir('uw'), 'run');
    await train({ config: uwConfig, registry: reg(), runDir: straight });
    const learned = (await readCheckpoint(join(straight, 'checkpoints', 'last'))).strategyState as number[];
    // ListNet losses are about 2.7 > 1, so d/ds = 0.5 (1 - exp(-s) L) < 0: both log-variances grow.
    expect(learned.every((v) => v > 0.01)).toBe(true);

    const resumedDir = join(tempDir('uw-resume'), 'run');
    const controller = new AbortController();
    await train({
      config: uwConfig,
      registry: reg(),
      runDir: resumedDir,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 5) controller.abort();
      },
    });
    await train({ config: uwConfig, registry: reg(), runDir: resumedDir, resume: true });
    expect((await readCheckpoint(join(resumedDir, 'checkpoints', 'last'))).strategyState).toEqual(learned);
    expect(weightBytes(resumedDir, 'last').equals(weightBytes(straight, 'last'))).toBe(true);
    expect(logVariances.every((v) => v.isDisposed)).toBe(true);
  });

  it('lets a model-growing strategy add a module mid-run; new parameters train and are saved', async () => {
    let attached: GrowableModel | undefined;
    const grower = defineStrategy({
      id: 'grow_once',
      contractVersion: CONTRACT_VERSION,
      family: 'architecture',
      paretoFront: false,
      needs: { grads: 'shared', growsModel: true },
      options: z.strictObject({}),
      create: () => ({
        needs: { grads: 'shared', growsModel: true },
        attachModel: (model) => {
          attached = model;
        },
        combine: ({ step, grads, layout }) => {
          expect(grads?.shape[1]).toBe(layout?.size);
          if (step === 1) attached?.addPairModule(0, 1, 0);
          return { weights: [0.5, 0.5] };
        },
        state: () => null,
        loadState: () => {},
        dispose: () => {},
      }),
    });
    const runDir = join(tempDir('grow'), 'run');
    await train({
      config: config({
        strategy: { id: 'grow_once' },
        model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16, perTaskHeads: true },
        training: { epochs: 1, batchSize: 8 },
      }),
      registry: new Registry().use(grower),
      runDir,
    });
    const last = await readCheckpoint(join(runDir, 'checkpoints', 'last'));
    expect(last.ranker.pairModules()).toEqual([expect.objectContaining({ taskA: 0, taskB: 1, block: 0 })]);
    // The module's output layer started at zero-fusion; training moved its fusion weights off 0.
    const fusion = last.ranker.namedVariables().filter((r) => r.name.includes('.fusion.'));
    expect(fusion).toHaveLength(2);
    for (const f of fusion) expect(f.variable.dataSync()[0]).not.toBe(0);
    last.ranker.dispose();
  });
});
