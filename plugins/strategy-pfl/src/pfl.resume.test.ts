import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { Registry } from '@mtl2r/core';
import { parseTrainConfig, type TrainingEvent, train, writeBundledSubset } from '@mtl2r/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'mtl2r-pfl-resume-'));
let files: { train: string; vali: string; test: string };

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
  files = writeBundledSubset('mq2008', join(dir, 'data'), { train: 24, vali: 4, test: 4 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config() {
  return parseTrainConfig({
    seed: 11,
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
    model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16, dropout: 0.1, conditioning: 'input' },
    losses: [{ name: 'listNet' }, { name: 'listNet' }],
    strategy: { id: 'pfl', options: { alpha: 0.8 } },
    training: { epochs: 2, batchSize: 8, logEvery: 1 },
  });
}

const weights = (runDir: string) => readFileSync(join(runDir, 'checkpoints', 'last', 'model', 'weights.bin'));

describe('pfl through checkpoints', () => {
  it('an interrupted and resumed run draws the same preferences and ends with the same weights', async () => {
    const registry = () => new Registry().use(plugin);
    const straight = join(dir, 'straight');
    const whole = await train({ config: config(), registry: registry(), runDir: straight });
    const interrupted = join(dir, 'interrupted');
    const controller = new AbortController();
    const stopMidEpoch = (event: TrainingEvent) => {
      if (event.type === 'step' && event.step === 2) controller.abort();
    };
    const first = await train({
      config: config(),
      registry: registry(),
      runDir: interrupted,
      signal: controller.signal,
      onEvent: stopMidEpoch,
    });
    expect(first).toMatchObject({ status: 'interrupted', step: 2 });
    const resumed = await train({
      config: config(),
      registry: registry(),
      runDir: interrupted,
      resume: true,
    });
    expect(resumed.step).toBe(whole.step);
    expect(weights(interrupted).equals(weights(straight))).toBe(true);
    // The logged preferences (diagnostics r:<task>) of every step agree.
    const drawn = (runDir: string) =>
      readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { metric: string; step?: number; value: number })
        .filter((record) => record.metric === 'r:relevance')
        .map((record) => [record.step, record.value]);
    expect(drawn(interrupted)).toEqual(drawn(straight));
    expect(drawn(straight)).toHaveLength(whole.step);
  });
});
