import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACT_VERSION, ConfigError, defineStrategy, Registry } from '@mtl2r/core';
import ls from '@mtl2r/strategy-ls';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseTrainConfig, type TrainConfigInput } from './config.js';
import { checkTrainConfig, resolveConfig } from './prepare.js';
import { smallConfig, writeMq2008Subset } from './test-support.js';

/** Real minimal plugins declaring the needs under test. */
const logLosses = defineStrategy({
  id: 'log_losses',
  contractVersion: CONTRACT_VERSION,
  family: 'weighting',
  paretoFront: false,
  needs: { grads: 'none', positiveLosses: true },
  options: z.strictObject({}),
  create: (_o, ctx) => ({
    needs: { grads: 'none', positiveLosses: true },
    combine: ({ losses }) => ({ weights: Array.from(losses, (l) => 1 / (ctx.taskCount * l)) }),
    state: () => null,
    loadState: () => {},
    dispose: () => {},
  }),
});
const grower = defineStrategy({
  ...logLosses,
  id: 'grower',
  family: 'architecture',
  needs: { grads: 'shared', growsModel: true },
  create: () => ({
    needs: { grads: 'shared', growsModel: true },
    combine: () => ({ weights: [0.5, 0.5] }),
    state: () => null,
    loadState: () => {},
    dispose: () => {},
  }),
});

/** Needs positive losses only with one option, as MGDA does with its loss normalisation. */
const dividesByLosses = defineStrategy({
  ...logLosses,
  id: 'divides',
  needs: { grads: 'none' },
  options: z.strictObject({ divide: z.boolean().default(false) }),
  create: (options: { divide: boolean }) => ({
    needs: { grads: 'none', positiveLosses: options.divide },
    combine: () => ({ weights: [0.5, 0.5] }),
    state: () => null,
    loadState: () => {},
    dispose: () => {},
  }),
});

let files: { train: string; vali: string; test: string };
const dir = mkdtempSync(join(tmpdir(), 'mtl2r-prepare-'));
beforeAll(() => {
  files = writeMq2008Subset(join(dir, 'data'), { train: 4, vali: 2, test: 2 });
});

async function problems(overrides: Partial<TrainConfigInput>): Promise<string[]> {
  const config = resolveConfig(parseTrainConfig(smallConfig(files, overrides)), dir);
  try {
    await checkTrainConfig(config, new Registry().use(ls).use(logLosses).use(grower).use(dividesByLosses), {
      configDir: dir,
    });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('checkTrainConfig', () => {
  it('accepts a consistent config and builds the strategy and losses', async () => {
    const config = resolveConfig(parseTrainConfig(smallConfig(files)), dir);
    const setup = await checkTrainConfig(config, new Registry().use(ls));
    expect(setup.taskNames).toEqual(['relevance', 'pagerank']);
    expect(setup.losses.map((l) => l.name)).toEqual(['listNet', 'listNet']);
    expect(setup.strategy.needs.grads).toBe('none');
  });

  it('refuses a loss that can be <= 0 for a strategy that takes logarithms of the losses', async () => {
    expect(
      await problems({
        strategy: { id: 'log_losses' },
        losses: [{ name: 'listNet' }, { name: 'approxNDCG' }],
      }),
    ).toEqual([
      "losses[1].name: strategy 'log_losses' needs strictly positive losses (it takes their logarithms or divides by them), but 'approxNDCG' can be <= 0; pick a strictly positive loss (listNet, rankNet, lambdaLoss, ...)",
    ]);
  });

  it('checks the needs of the configured instance, not only the plugin: options can add positiveLosses', async () => {
    const losses = [{ name: 'listNet' }, { name: 'approxNDCG' }];
    expect(await problems({ strategy: { id: 'divides' }, losses })).toEqual([]);
    expect(await problems({ strategy: { id: 'divides', options: { divide: true } }, losses })).toEqual([
      "losses[1].name: strategy 'divides' needs strictly positive losses (it takes their logarithms or divides by them), but 'approxNDCG' can be <= 0; pick a strictly positive loss (listNet, rankNet, lambdaLoss, ...)",
    ]);
  });

  it('refuses a model-growing strategy without per-task heads', async () => {
    expect(await problems({ strategy: { id: 'grower' } })).toEqual([
      "model.perTaskHeads: strategy 'grower' grows the model and needs per-task heads: set model.perTaskHeads: true",
    ]);
  });

  it('reports every problem at once: loss count, unknown loss, metrics, early stopping, baselines, files', async () => {
    const found = await problems({
      losses: [{ name: 'listNot' }],
      evaluation: { metrics: ['ndcg@5'], baselines: { relevance: { 'ndcg@10': 0.5 }, clicks: {} } },
      earlyStopping: { metric: 'ndcg@10', task: 'dwell' },
      data: { ...smallConfig(files).data, vali: 'nope.txt' },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^losses: 1 loss\(es\) for 2 task\(s\)/),
        expect.stringMatching(/^losses\[0\]\.name: expected one of listNet, /),
        expect.stringMatching(
          /^earlyStopping\.metric: 'ndcg@10' is not among evaluation\.metrics \[ndcg@5\]/,
        ),
        "earlyStopping.task: unknown task 'dwell'; tasks: relevance, pagerank",
        'evaluation.baselines.relevance.ndcg@10: not one of evaluation.metrics [ndcg@5]',
        'evaluation.baselines.clicks: unknown task; tasks: relevance, pagerank',
        expect.stringMatching(/^data\.vali: file not found: .*nope\.txt$/),
      ]),
    );
  });

  it('loads a third-party plugin by file path relative to the config', async () => {
    writeFileSync(
      join(dir, 'equal.mjs'),
      `const schema = { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } };
export default {
  id: 'equal', contractVersion: 1, family: 'weighting', paretoFront: false, needs: { grads: 'none' }, options: schema,
  create: (_o, ctx) => ({ needs: { grads: 'none' }, combine: () => ({ weights: Array(ctx.taskCount).fill(1 / ctx.taskCount) }),
    state: () => null, loadState() {}, dispose() {} }),
};\n`,
    );
    const config = resolveConfig(
      parseTrainConfig(smallConfig(files, { strategy: { id: 'equal', plugin: './equal.mjs' } })),
      dir,
    );
    const setup = await checkTrainConfig(config, new Registry(), { configDir: dir });
    expect(setup.plugin.id).toBe('equal');
    expect(await setup.strategy.combine({ step: 0, epoch: 0, losses: Float32Array.from([1, 2]) })).toEqual({
      weights: [0.5, 0.5],
    });
  });

  it('refuses strategy.plugin beside an installed strategy of the same id, and a plugin of another id', async () => {
    writeFileSync(
      join(dir, 'my-ls.mjs'),
      `const schema = { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } };
export default {
  id: 'ls', contractVersion: 1, family: 'weighting', paretoFront: false, needs: { grads: 'none' }, options: schema,
  create: () => ({ needs: { grads: 'none' }, combine: () => ({ weights: [1, 0] }), state: () => null, loadState() {}, dispose() {} }),
};\n`,
    );
    const refusal = async (strategy: TrainConfigInput['strategy']) => {
      const config = resolveConfig(parseTrainConfig(smallConfig(files, { strategy })), dir);
      const error = await checkTrainConfig(config, new Registry().use(ls), { configDir: dir }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
    };
    expect(await refusal({ id: 'ls', plugin: './my-ls.mjs', preference: [0.5, 0.5] })).toEqual([
      expect.stringMatching(
        /^strategy\.plugin: 'ls' is also an installed strategy, so .*my-ls\.mjs would be ignored: remove strategy\.plugin to use the installed 'ls', or give the plugin in .*my-ls\.mjs an id of its own$/,
      ),
    ]);
    expect(await refusal({ id: 'equal', plugin: './my-ls.mjs' })).toEqual([
      expect.stringMatching(
        /^strategy\.plugin: .*my-ls\.mjs provides strategy 'ls', but strategy\.id is 'equal': set strategy\.id to 'ls'$/,
      ),
    ]);
    // The installed plugin's own package named as strategy.plugin is the same plugin: accepted.
    const same = resolveConfig(
      parseTrainConfig(
        smallConfig(files, { strategy: { id: 'ls', plugin: '@mtl2r/strategy-ls', preference: [0.5, 0.5] } }),
      ),
      dir,
    );
    const setup = await checkTrainConfig(same, new Registry().use(ls), { configDir: import.meta.dirname });
    expect(setup.plugin).toBe(ls);
    setup.strategy.dispose();
  });
});

describe('resolveConfig', () => {
  it('fills bundled file paths, resolves relative paths and canonical metric names', () => {
    const config = resolveConfig(
      parseTrainConfig({
        data: { dataset: 'mq2008', train: 'mine.txt' },
        losses: [{ name: 'listNet' }],
        strategy: { id: 'ls' },
        evaluation: { metrics: ['NDCG@5'] },
        earlyStopping: { metric: 'NDCG@5' },
      }),
      '/work/cfg',
    );
    expect(config.data.train).toBe('/work/cfg/mine.txt');
    expect(config.data.vali).toMatch(/datasets\/data\/mq2008\/vali\.txt\.gz$/);
    expect(config.data.spec).toMatchObject({
      featureCount: 46,
      maxLabel: 2,
      tasks: [{ name: 'relevance', source: 'label' }],
    });
    expect(config.evaluation.metrics).toEqual(['ndcg@5']);
    expect(config.earlyStopping).toMatchObject({ metric: 'ndcg@5', task: 'relevance' });
  });
});
