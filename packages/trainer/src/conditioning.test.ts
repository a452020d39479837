import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { CONTRACT_VERSION, ConfigError, defineStrategy, Registry } from '@mtl2r/core';
import { createRanker, PREFERENCE_INPUT_WEIGHT } from '@mtl2r/encoder';
import ls from '@mtl2r/strategy-ls';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseTrainConfig, type TrainConfigInput } from './config.js';
import { loadTrainedModel } from './predict.js';
import { checkTrainConfig, resolveConfig } from './prepare.js';
import { smallConfig, writeMq2008Subset } from './test-support.js';
import { train } from './trainer.js';

/** A real minimal conditioning strategy: one fixed ray, equal weights, counting the steps it conditioned. */
const calls: number[] = [];
const fixedRay = defineStrategy({
  id: 'fixed_ray',
  contractVersion: CONTRACT_VERSION,
  family: 'scalarization',
  paretoFront: true,
  needs: { grads: ['none', 'representation'], conditionsModel: true },
  options: z.strictObject({ space: z.enum(['none', 'representation']).default('none') }),
  create: (options) => ({
    needs: { grads: options.space, conditionsModel: true },
    conditioning: ({ step }) => {
      calls.push(step);
      return [0.8, 0.2];
    },
    combine: () => ({ weights: [0.5, 0.5] }),
    state: () => null,
    loadState: () => {},
    dispose: () => {},
  }),
});

const dir = mkdtempSync(join(tmpdir(), 'mtl2r-conditioning-'));
let files: { train: string; vali: string; test: string };
beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
  files = writeMq2008Subset(join(dir, 'data'), { train: 16, vali: 4, test: 4 });
});

const conditionedModel = {
  modelDim: 8,
  blocks: 1,
  heads: 2,
  ffnDim: 16,
  dropout: 0.1,
  conditioning: 'input' as const,
};

async function problems(overrides: Partial<TrainConfigInput>): Promise<string[]> {
  const config = resolveConfig(parseTrainConfig(smallConfig(files, overrides)), dir);
  try {
    const setup = await checkTrainConfig(config, new Registry().use(ls).use(fixedRay), { configDir: dir });
    setup.strategy.dispose();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('preference conditioning in the trainer', () => {
  it('refuses a conditioning strategy on a plain model, and a conditioned model under another strategy', async () => {
    expect(await problems({ strategy: { id: 'fixed_ray' } })).toEqual([
      "model.conditioning: strategy 'fixed_ray' conditions the model on a preference each step: set model.conditioning: input",
    ]);
    expect(await problems({ model: conditionedModel })).toEqual([
      "model.conditioning: strategy 'ls' does not choose a preference to condition the model on: remove model.conditioning, or use a strategy that does (pfl)",
    ]);
    expect(await problems({ strategy: { id: 'fixed_ray' }, model: conditionedModel })).toEqual([]);
  });

  for (const space of ['none', 'representation'] as const) {
    it(`asks the strategy once per step and trains W_r through the preference (grads ${space})`, async () => {
      calls.length = 0;
      const config = parseTrainConfig(
        smallConfig(files, { strategy: { id: 'fixed_ray', options: { space } }, model: conditionedModel }),
      );
      const runDir = join(dir, `run-${space}`);
      await train({ config, registry: new Registry().use(fixedRay), runDir });
      // 16 queries / 8 per batch, 2 epochs.
      expect(calls).toEqual([0, 1, 2, 3]);
      const initial = createRanker({ ...conditionedModel, featureCount: 46 - 1, taskCount: 2 }, 3);
      const model = await loadTrainedModel(runDir, 'last');
      try {
        const start = Array.from(initial.weights()[PREFERENCE_INPUT_WEIGHT]?.dataSync() ?? []);
        const end = Array.from(model.ranker.weights()[PREFERENCE_INPUT_WEIGHT]?.dataSync() ?? []);
        expect(end).toHaveLength(16);
        expect(end.some((v, i) => Math.abs(v - (start[i] as number)) > 1e-6)).toBe(true);
      } finally {
        initial.dispose();
        model.dispose();
      }
    });
  }
});
