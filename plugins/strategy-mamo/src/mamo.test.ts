import { selectBackend } from '@mtl2r/backend';
import {
  type CombineOutput,
  ConfigError,
  createCombineInput,
  createStrategy,
  MemoryMetricsSink,
  type ParameterLayout,
  type Strategy,
} from '@mtl2r/core';
import { minNormPoint } from '@mtl2r/solvers';
import { describeStrategyConformance, SimulatedGrowableModel } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mamoPlugin } from './mamo.js';

describeStrategyConformance(mamoPlugin, {
  options: { searchSteps: 3 },
  validOptions: [
    { searchEpochs: 2, threshold: '>' },
    { solver: 'projected-gradient', maxIterations: 50 },
  ],
  invalidOptions: [
    { options: { searchEpochs: 1, searchSteps: 4 }, message: 'not both' },
    { options: { searchSteps: 0 }, message: 'searchSteps' },
    { options: { threshold: '<' }, message: 'threshold' },
  ],
});

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

const names = ['relevance', 'pagerank', 'inlinks'];
// Two blocks of 2 columns each, after an input projection of 2 columns.
const layout: ParameterLayout = {
  size: 6,
  entries: [
    { name: 'input', block: -1, offset: 0, size: 2, shape: [2] },
    { name: 'b0', block: 0, offset: 2, size: 2, shape: [2] },
    { name: 'b1', block: 1, offset: 4, size: 2, shape: [2] },
  ],
};

function mamo(options: object, extra: { plannedEpochs?: number; log?: MemoryMetricsSink } = {}): Strategy {
  return createStrategy(mamoPlugin, { taskNames: names, options, rng: 1, ...extra });
}

function combineWith(strategy: Strategy, step: number, rows: number[][]) {
  const grads = tf.tensor2d(rows);
  try {
    const input = createCombineInput({ step, epoch: 0, losses: Float32Array.of(1, 1, 1), grads, layout });
    return { output: strategy.combine(input) as CombineOutput, gram: input.gram };
  } finally {
    grads.dispose();
  }
}

// Block 0: relevance and pagerank point against each other; block 1: pagerank against inlinks.
const conflicting = [
  [1, 1, 1, 0, 0, 1],
  [1, 1, -1, 0.5, 1, 0],
  [1, 1, 0, 1, -1, 0.2],
];

describe('mamo', () => {
  it('searches with equal weights, then grows a module for each conflicting (pair, block) and switches to MGDA', () => {
    const log = new MemoryMetricsSink();
    const strategy = mamo({ searchSteps: 2 }, { log });
    const model = new SimulatedGrowableModel(3, { blockCount: 2 });
    strategy.attachModel?.(model);
    const first = combineWith(strategy, 0, conflicting).output;
    expect(Array.from(first.weights)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(first.diagnostics?.['cos(0,1)@0']).toBeCloseTo(-1 / Math.sqrt(1.25), 6);
    expect(model.pairModules()).toEqual([]);
    combineWith(strategy, 1, conflicting);
    // Q = [2, 0, 0 | 0, 0, 2]: mean of the non-zero entries 2, both pass '>='.
    expect(model.pairModules().map(({ taskA, taskB, block }) => [taskA, taskB, block])).toEqual([
      [0, 1, 0],
      [1, 2, 1],
    ]);
    const value = (metric: string, task?: string) =>
      log.records.find((r) => r.metric === metric && r.task === task)?.value;
    expect(value('mamo/conflicts', 'relevance~pagerank@block0')).toBe(2);
    expect(value('mamo/conflict_magnitude', 'relevance~pagerank@block0')).toBeCloseTo(1 / Math.sqrt(1.25), 6);
    expect(value('mamo/threshold')).toBe(2);
    expect(value('mamo/grown_modules')).toBe(2);
    expect(value('mamo/parameters_added')).toBe(2 * model.pairModules()[0]!.parameters);

    const { output, gram } = combineWith(strategy, 2, conflicting);
    const expected = minNormPoint(gram as Float64Array);
    expect(Array.from(output.weights)).toEqual(Array.from(expected.weights));
    expect(output.diagnostics?.min_norm).toBeCloseTo(Math.sqrt(expected.normSquared), 12);
    expect(strategy.state()).toMatchObject({
      phase: 'grown',
      modules: [
        { taskA: 0, taskB: 1, block: 0 },
        { taskA: 1, taskB: 2, block: 1 },
      ],
    });
  });

  it('grows at the end of the search epochs (onEpochEnd)', () => {
    const strategy = mamo({ searchEpochs: 2 }, { plannedEpochs: 3 });
    const model = new SimulatedGrowableModel(3, { blockCount: 2 });
    strategy.attachModel?.(model);
    combineWith(strategy, 0, conflicting);
    strategy.onEpochEnd?.({ epoch: 0, trainLosses: Float32Array.of(1, 1, 1) });
    expect(model.pairModules()).toHaveLength(0);
    combineWith(strategy, 1, conflicting);
    strategy.onEpochEnd?.({ epoch: 1, trainLosses: Float32Array.of(1, 1, 1) });
    expect(model.pairModules()).toHaveLength(2);
  });

  it('resumes: loadState then attachModel with the checkpointed model; a model without the modules is refused', () => {
    const strategy = mamo({ searchSteps: 1 });
    const model = new SimulatedGrowableModel(3, { blockCount: 2 });
    strategy.attachModel?.(model);
    combineWith(strategy, 0, conflicting);
    const saved = JSON.parse(JSON.stringify(strategy.state()));
    const resumed = mamo({ searchSteps: 1 });
    resumed.loadState(saved);
    resumed.attachModel?.(model.clone());
    expect(resumed.state()).toEqual(strategy.state());
    const stale = mamo({ searchSteps: 1 });
    stale.loadState(saved);
    expect(() => stale.attachModel?.(new SimulatedGrowableModel(3, { blockCount: 2 }))).toThrow(
      "mamo: the model's pair modules [] differ from the strategy state's [0-1@0, 1-2@1] (phase grown)",
    );
  });
});

describe('mamo refuses bad input with the config path', () => {
  const configError = (run: () => unknown, path: string, message: string) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).exitCode).toBe(2);
      expect((error as ConfigError).issues).toEqual([{ path, message: expect.stringContaining(message) }]);
      return;
    }
    throw new Error('expected a ConfigError');
  };

  it('one task', () => {
    configError(
      () => createStrategy(mamoPlugin, { taskNames: ['relevance'], options: {} }),
      'data.spec.tasks',
      'MAMO mediates pairs of tasks: it needs at least 2 tasks, got 1 [relevance]',
    );
  });

  it('a search phase as long as training (epochs up front, steps after the first epoch)', () => {
    configError(
      () => mamo({ searchEpochs: 3 }, { plannedEpochs: 3 }),
      'strategy.options.searchEpochs',
      'the search phase (3 epoch(s)) must end before training does (training.epochs = 3): expected searchEpochs < 3',
    );
    configError(
      () => mamo({}, { plannedEpochs: 1 }),
      'strategy.options.searchEpochs',
      'expected searchEpochs < 1',
    );
    const bySteps = mamo({ searchSteps: 8 }, { plannedEpochs: 2 });
    bySteps.attachModel?.(new SimulatedGrowableModel(3, { blockCount: 2 }));
    for (let step = 0; step < 4; step++) combineWith(bySteps, step, conflicting);
    configError(
      () => bySteps.onEpochEnd?.({ epoch: 0, trainLosses: Float32Array.of(1, 1, 1) }),
      'strategy.options.searchSteps',
      'the search phase (8 steps) must end before training does (2 epochs of 4 steps = 8): expected searchSteps < 8',
    );
  });

  it('representation-space gradients', () => {
    configError(
      () => mamo({ gradientSpace: 'representation' }),
      'strategy.options.gradientSpace',
      'representation-space gradients stop at the encoder output and never reach the grown modules',
    );
  });

  it('a model that cannot grow (no blocks)', () => {
    const strategy = mamo({});
    configError(
      () => strategy.attachModel?.(new SimulatedGrowableModel(3, { blockCount: 0 })),
      'model.blocks',
      'MAMO grows modules at encoder blocks: expected at least 1 block, got 0',
    );
  });
});
