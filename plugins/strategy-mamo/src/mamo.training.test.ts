import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { Registry } from '@mtl2r/core';
import {
  ARCHITECTURE_FILE,
  type GrownArchitecture,
  loadTrainedModel,
  parseTrainConfig,
  predict,
  readCheckpoint,
  type TrainingEvent,
  train,
  writeBundledSubset,
} from '@mtl2r/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mamoPlugin } from './mamo.js';

const dir = mkdtempSync(join(tmpdir(), 'mtl2r-mamo-'));
beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = writeBundledSubset('mq2008', dir, { train: 32, vali: 8, test: 8 });
// Three tasks as in the starter config; 4 steps of 8 queries per epoch; growth after 3 steps (mid-epoch 0).
const config = parseTrainConfig({
  seed: 5,
  backend: 'cpu',
  data: {
    ...files,
    cacheDir: false,
    spec: {
      tasks: [
        { name: 'relevance', source: 'label' },
        { name: 'pagerank', feature: 41 },
        { name: 'inlinks', feature: 42 },
      ],
      featureCount: 46,
      maxLabel: 2,
    },
  },
  model: { modelDim: 8, blocks: 2, heads: 2, ffnDim: 16, dropout: 0.1, perTaskHeads: true, pairModuleDim: 4 },
  losses: [{ name: 'listNet' }, { name: 'listNet' }, { name: 'listNet' }],
  strategy: { id: 'mamo', options: { searchSteps: 3 } },
  optimizer: { name: 'adam', learningRate: 0.01 },
  training: { epochs: 2, batchSize: 8, logEvery: 1 },
  evaluation: { metrics: ['ndcg@10'] },
  earlyStopping: { metric: 'ndcg@10' },
});
const registry = () => new Registry().use(mamoPlugin);
const lastWeights = (run: string) => readFileSync(join(run, 'checkpoints', 'last', 'model', 'weights.bin'));

describe('mamo through the trainer on bundled MQ2008 (three tasks)', () => {
  const straight = join(dir, 'straight');
  const events: TrainingEvent[] = [];

  it('grows after the search, reports and saves the grown architecture; eval and predict load it', async () => {
    const result = await train({
      config,
      registry: registry(),
      runDir: straight,
      onEvent: (e) => events.push(e),
    });
    expect(result.status).toBe('completed');
    const written = JSON.parse(readFileSync(join(straight, ARCHITECTURE_FILE), 'utf8')) as GrownArchitecture;
    expect(written.modules.length).toBeGreaterThan(0);
    expect(written.totalParameters).toBe(written.baseParameters + written.parametersAdded);
    const event = events.find((e) => e.type === 'architecture');
    expect(event).toMatchObject({ type: 'architecture', architecture: written });
    const metrics = readFileSync(join(straight, 'metrics.jsonl'), 'utf8');
    expect(metrics).toContain('"metric":"mamo/grown_modules"');
    // MGDA after growth: the weights of step 3 on are a min-norm point (on the simplex).
    const weights = metrics
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { metric: string; step?: number; value: number })
      .filter((r) => r.metric === 'weight' && r.step === 5);
    expect(weights.reduce((sum, r) => sum + r.value, 0)).toBeCloseTo(1, 5);
    // The test split was scored with the grown best model (the trainer reloads it from disk).
    expect(result.test?.map((t) => t.task)).toEqual(['relevance', 'pagerank', 'inlinks']);

    const model = await loadTrainedModel(straight, 'last');
    try {
      expect(model.ranker.pairModules().map((m) => [m.taskA, m.taskB, m.block])).toEqual(
        written.modules.map((m) => [m.taskA, m.taskB, m.block]),
      );
      const width = model.transform.featureIds.length;
      const scores = predict(model, [[new Array(width).fill(0.5), new Array(width).fill(0.1)]]);
      expect(scores[0]).toHaveLength(2);
      expect(scores[0]?.[0]).toHaveLength(3);
      expect(scores.flat(2).every(Number.isFinite)).toBe(true);
    } finally {
      model.dispose();
    }
  });

  it('killed during the search and again after growth, --resume ends bit for bit where the straight run ends', async () => {
    const resumed = join(dir, 'resumed');
    for (const stopAt of [1, 6]) {
      const controller = new AbortController();
      const result = await train({
        config,
        registry: registry(),
        runDir: resumed,
        resume: stopAt !== 1,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'step' && e.step === stopAt) controller.abort();
        },
      });
      expect(result.status).toBe('interrupted');
      const phase = (
        (await readCheckpoint(join(resumed, 'checkpoints', 'last'))).strategyState as { phase: string }
      ).phase;
      expect(phase).toBe(stopAt === 1 ? 'search' : 'grown');
    }
    await train({ config, registry: registry(), runDir: resumed, resume: true });
    expect(lastWeights(resumed).equals(lastWeights(straight))).toBe(true);
    const state = async (run: string) =>
      (await readCheckpoint(join(run, 'checkpoints', 'last'))).strategyState;
    expect(await state(resumed)).toEqual(await state(straight));
    expect(readFileSync(join(resumed, ARCHITECTURE_FILE), 'utf8')).toBe(
      readFileSync(join(straight, ARCHITECTURE_FILE), 'utf8'),
    );
  });

  it('a search as long as training is refused before the first step with the config path', async () => {
    await expect(
      train({
        config: { ...config, strategy: { id: 'mamo', options: { searchEpochs: 2 } } },
        registry: registry(),
        runDir: join(dir, 'too-long'),
      }),
    ).rejects.toThrow('expected searchEpochs < 2');
  });
});
