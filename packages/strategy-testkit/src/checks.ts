import {
  ConfigError,
  PluginError,
  type Strategy,
  type StrategyPlugin,
  validateWithSchema,
} from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  attachSimulatedModel,
  createForSimulation,
  roundTripState,
  type SimulationSetup,
  type StepRecord,
  simulatedModelOf,
  simulateSteps,
} from './simulated-trainer.js';

/** A plugin broke the strategy contract; the message says which rule and how. */
export class ConformanceError extends Error {
  override name = 'ConformanceError';
}

export interface InvalidOptionsCase {
  options: unknown;
  /** A fragment (or pattern) the error message must contain, e.g. the option's path. */
  message: string | RegExp;
}

/** Options as a config writes them: the plugin's parsed options type, every field optional (defaults fill in). */
export type OptionsInput<Options> = unknown extends Options
  ? unknown
  : Options extends object
    ? { [K in keyof Options]?: Options[K] }
    : Options;

/** What to check a plugin with; `Options` is inferred from the plugin's schema by `describeStrategyConformance`. */
export interface ConformanceCases<Options = unknown> {
  /** Options every behavioural check creates the strategy with (default `{}`). */
  options?: OptionsInput<Options>;
  /** The preference vector for K tasks, for plugins that need one (default [1, 2, ..., K]). */
  preference?: (taskCount: number) => number[];
  /** Option sets that must be accepted, besides `{}` (always checked). */
  validOptions?: OptionsInput<Options>[];
  /** Option sets that must be rejected. At least one for a plugin with options. */
  invalidOptions?: InvalidOptionsCase[];
  /** Task counts to check (default 2..5). */
  taskCounts?: number[];
  /** Length of the synthetic task gradients (default 64). */
  parameterCount?: number;
  /** Steps of the leak check (default 100). */
  leakSteps?: number;
  /** Absolute tolerance of the weights-sum-to-one check (default 1e-5). */
  sumTolerance?: number;
}

/** `simulateSteps`, with a contract violation the trainer would raise reported as a ConformanceError. */
async function runSteps(
  strategy: Strategy,
  setup: SimulationSetup,
  firstStep: number,
  steps: number,
): Promise<StepRecord[]> {
  try {
    return await simulateSteps(strategy, setup, firstStep, steps);
  } catch (error) {
    if (error instanceof PluginError) throw new ConformanceError(error.message);
    throw error;
  }
}

function setupFor(cases: ConformanceCases, taskCount: number, seed = 1234): SimulationSetup {
  return {
    taskCount,
    parameterCount: cases.parameterCount ?? 64,
    seed,
    options: cases.options ?? {},
    preference: cases.preference,
  };
}

export function checkOptions(plugin: StrategyPlugin<unknown>, cases: ConformanceCases): void {
  for (const options of [
    {},
    ...(cases.options === undefined ? [] : [cases.options]),
    ...(cases.validOptions ?? []),
  ]) {
    try {
      validateWithSchema(plugin.options, options, `options of '${plugin.id}'`);
    } catch (error) {
      throw new ConformanceError(
        `options ${JSON.stringify(options)} should be valid but were rejected: ${(error as Error).message}`,
      );
    }
  }
  for (const bad of cases.invalidOptions ?? []) {
    let caught: unknown;
    try {
      validateWithSchema(plugin.options, bad.options, `options of '${plugin.id}'`, 'strategy.options');
    } catch (error) {
      caught = error;
    }
    if (!(caught instanceof ConfigError)) {
      throw new ConformanceError(
        `options ${JSON.stringify(bad.options)} should be rejected with a message but were accepted`,
      );
    }
    const matches =
      typeof bad.message === 'string'
        ? caught.message.includes(bad.message)
        : bad.message.test(caught.message);
    if (!matches) {
      throw new ConformanceError(
        `rejecting ${JSON.stringify(bad.options)}: message ${JSON.stringify(caught.message)} does not contain ${String(bad.message)}`,
      );
    }
  }
}

function assertFinite(values: readonly number[], what: string): void {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ConformanceError(`${what}[${bad}] is ${values[bad]}, expected a finite number`);
}

/** combine returns K finite weights (and a finite [P] direction if any), over several steps. */
export async function checkShapes(
  plugin: StrategyPlugin<unknown>,
  cases: ConformanceCases,
  taskCount: number,
): Promise<void> {
  const setup = setupFor(cases, taskCount);
  const strategy = createForSimulation(plugin, setup);
  try {
    const records = await runSteps(strategy, setup, 0, 12);
    records.forEach((record, step) => {
      if (record.weights.length !== taskCount) {
        throw new ConformanceError(
          `step ${step}: combine returned ${record.weights.length} weights for K = ${taskCount} tasks`,
        );
      }
      assertFinite(record.weights, `step ${step}: weights`);
      if (record.direction !== undefined) {
        if (record.direction.length !== setup.parameterCount) {
          throw new ConformanceError(
            `step ${step}: direction has length ${record.direction.length}, expected P = ${setup.parameterCount}`,
          );
        }
        assertFinite(record.direction, `step ${step}: direction`);
      }
    });
  } finally {
    strategy.dispose();
  }
}

/** Weights are non-negative and sum to 1, for plugins that declare `weightsSumToOne`. */
export async function checkWeightsSumToOne(
  plugin: StrategyPlugin<unknown>,
  cases: ConformanceCases,
  taskCount: number,
): Promise<void> {
  if (plugin.weightsSumToOne !== true) return;
  const tolerance = cases.sumTolerance ?? 1e-5;
  const setup = setupFor(cases, taskCount);
  const strategy = createForSimulation(plugin, setup);
  try {
    const records = await runSteps(strategy, setup, 0, 12);
    records.forEach((record, step) => {
      const sum = record.weights.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > tolerance || record.weights.some((w) => w < -tolerance)) {
        throw new ConformanceError(
          `step ${step}: weights [${record.weights.join(', ')}] should be >= 0 and sum to 1 (sum ${sum})`,
        );
      }
    });
  } finally {
    strategy.dispose();
  }
}

function firstDifference(a: StepRecord[], b: StepRecord[], firstStep = 0): string | undefined {
  for (let i = 0; i < a.length; i++) {
    const step = firstStep + i;
    const x = a[i]!;
    const y = b[i];
    if (y === undefined) return `step ${step}: missing`;
    if (x.weights.some((w, i) => !Object.is(w, y.weights[i])))
      return `step ${step}: weights [${x.weights}] vs [${y.weights}]`;
    const dx = x.direction ?? [];
    const dy = y.direction ?? [];
    if (dx.length !== dy.length || dx.some((v, i) => !Object.is(v, dy[i])))
      return `step ${step}: directions differ`;
    const gx = JSON.stringify(x.pairModules ?? []);
    const gy = JSON.stringify(y.pairModules ?? []);
    if (gx !== gy) return `step ${step}: the model grew differently (${gx} vs ${gy})`;
  }
  return undefined;
}

/** Two instances created with the same seed and fed the same inputs produce identical outputs. */
export async function checkDeterminism(
  plugin: StrategyPlugin<unknown>,
  cases: ConformanceCases,
  taskCount = 3,
): Promise<void> {
  const setup = setupFor(cases, taskCount, 99);
  const runs: StepRecord[][] = [];
  for (let i = 0; i < 2; i++) {
    const strategy = createForSimulation(plugin, setup);
    try {
      runs.push(await runSteps(strategy, setup, 0, 15));
    } finally {
      strategy.dispose();
    }
  }
  const difference = firstDifference(runs[0]!, runs[1]!);
  if (difference !== undefined)
    throw new ConformanceError(`same seed, same inputs, different outputs: ${difference}`);
}

/** tf.memory().numTensors is flat over many steps (after a warm-up step that may allocate state). */
export async function checkNoLeaks(
  plugin: StrategyPlugin<unknown>,
  cases: ConformanceCases,
  taskCount = 3,
): Promise<void> {
  const setup = setupFor(cases, taskCount);
  const strategy = createForSimulation(plugin, setup);
  try {
    await runSteps(strategy, setup, 0, 2);
    const before = tf.memory().numTensors;
    const steps = cases.leakSteps ?? 100;
    await runSteps(strategy, setup, 2, steps);
    const after = tf.memory().numTensors;
    if (after !== before) {
      throw new ConformanceError(
        `leaks tensors: tf.memory().numTensors went from ${before} to ${after} over ${steps} steps`,
      );
    }
  } finally {
    strategy.dispose();
  }
}

/** state() then loadState() on a fresh instance gives an identical continuation. */
export async function checkStateRoundTrip(
  plugin: StrategyPlugin<unknown>,
  cases: ConformanceCases,
  taskCount = 3,
): Promise<void> {
  const setup = setupFor(cases, taskCount, 7);
  const original = createForSimulation(plugin, setup);
  // The fresh instance gets a different seed: everything it needs to continue must come from the state.
  // As on the trainer's resume: loadState first, then attachModel with the model as checkpointed.
  const fresh = createForSimulation(plugin, { ...setup, seed: 8 }, { attach: false });
  try {
    await runSteps(original, setup, 0, 9);
    fresh.loadState(roundTripState(original.state()));
    const grown = simulatedModelOf(original);
    if (grown !== undefined) attachSimulatedModel(fresh, grown.clone());
    const expected = await runSteps(original, setup, 9, 6);
    const actual = await runSteps(fresh, setup, 9, 6);
    const difference = firstDifference(expected, actual, 9);
    if (difference !== undefined)
      throw new ConformanceError(`after loadState(state()) the next steps differ: ${difference}`);
  } finally {
    original.dispose();
    fresh.dispose();
  }
}

/** dispose() releases every tensor the strategy allocated, and may be called twice. */
export async function checkDispose(
  plugin: StrategyPlugin<unknown>,
  cases: ConformanceCases,
  taskCount = 3,
): Promise<void> {
  const setup = setupFor(cases, taskCount);
  const before = tf.memory().numTensors;
  const strategy = createForSimulation(plugin, setup);
  await runSteps(strategy, setup, 0, 5);
  strategy.dispose();
  strategy.dispose();
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new ConformanceError(
      `dispose() left ${after - before} tensors allocated (numTensors ${before} before create, ${after} after dispose)`,
    );
  }
}
