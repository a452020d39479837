import {
  type CheckedCombineOutput,
  createCombineInput,
  createStrategy,
  type Json,
  type ParameterLayout,
  PluginError,
  Rng,
  type Strategy,
  type StrategyPlugin,
  validateCombineOutput,
} from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { type PairModuleRecord, SimulatedGrowableModel } from './simulated-growable-model.js';

/**
 * Drives a strategy the way the trainer does, on synthetic losses and gradients, so the conformance
 * checks exercise every hook a plugin declares: combine, the strategy's own variables, afterUpdate and
 * onEpochEnd. Inputs depend only on the seed and the step, so two runs see identical inputs.
 */
export interface SimulationSetup {
  taskCount: number;
  /** Length P of each synthetic task gradient. */
  parameterCount: number;
  seed: number;
  options?: unknown;
  /** Preference for plugins that need one (default `preferenceFor`). */
  preference?: (taskCount: number) => number[];
  stepsPerEpoch?: number;
}

export interface StepRecord {
  weights: number[];
  direction?: number[];
  /** For strategies that grow the model: the pair modules after this step. */
  pairModules?: readonly PairModuleRecord[];
}

export function taskNamesFor(taskCount: number): string[] {
  return Array.from({ length: taskCount }, (_, i) => `task${i}`);
}

/** A preference vector for plugins that need one: deterministic, unequal, positive. */
export function preferenceFor(taskCount: number): number[] {
  return Array.from({ length: taskCount }, (_, i) => i + 1);
}

/** The model each growing strategy was attached to, so steps can record its growth. */
const attachedModels = new WeakMap<Strategy, SimulatedGrowableModel>();

/**
 * Creates the strategy as the trainer does (options and preference validated by core's `createStrategy`)
 * and, for a plugin that declares `needs.growsModel`, attaches a `SimulatedGrowableModel` (or `model`, e.g.
 * one restored from a checkpoint) through `attachModel` before any step, as the trainer does.
 * `attach: false` leaves that to the caller (a resume: `loadState` first, then `attachSimulatedModel`).
 */
export function createForSimulation(
  plugin: StrategyPlugin<unknown>,
  setup: SimulationSetup,
  attach: { attach?: boolean; model?: SimulatedGrowableModel } = {},
): Strategy {
  const strategy = createStrategy(plugin, {
    taskNames: taskNamesFor(setup.taskCount),
    options: setup.options ?? {},
    preference:
      plugin.needs.preference === true ? (setup.preference ?? preferenceFor)(setup.taskCount) : undefined,
    rng: new Rng(setup.seed).derive('strategy'),
  });
  if (plugin.needs.growsModel === true && attach.attach !== false) {
    attachSimulatedModel(strategy, attach.model ?? new SimulatedGrowableModel(setup.taskCount));
  }
  return strategy;
}

/** Hands `model` to a growing strategy's `attachModel`; a growing plugin without that hook is broken. */
export function attachSimulatedModel(strategy: Strategy, model: SimulatedGrowableModel): void {
  if (typeof strategy.attachModel !== 'function') {
    throw new PluginError(
      'the plugin declares needs.growsModel but its strategy has no attachModel(model) method',
    );
  }
  strategy.attachModel(model);
  attachedModels.set(strategy, model);
}

/** The simulated model a growing strategy was attached to, if any. */
export function simulatedModelOf(strategy: Strategy): SimulatedGrowableModel | undefined {
  return attachedModels.get(strategy);
}

/** Synthetic step inputs: positive losses that slowly decrease, and correlated random gradients. */
export function syntheticInputs(
  setup: SimulationSetup,
  step: number,
): { losses: Float32Array; grads: number[][] } {
  const rng = new Rng(setup.seed).derive(`inputs/${step}`);
  const losses = new Float32Array(setup.taskCount);
  for (let k = 0; k < setup.taskCount; k++) losses[k] = (0.2 + 1.5 * rng.float()) * 0.99 ** step;
  const common = Array.from({ length: setup.parameterCount }, () => rng.normal());
  const grads = Array.from({ length: setup.taskCount }, (_, k) =>
    common.map((c) => (k % 2 === 0 ? 0.5 : -0.3) * c + rng.normal() * (1 + k / 2)),
  );
  return { losses, grads };
}

/** The preference a conditioning strategy returns must be K finite, non-negative numbers, not all zero. */
function checkConditioning(strategy: Strategy, step: number, epoch: number, taskCount: number): void {
  if (strategy.conditioning === undefined) {
    throw new PluginError(
      'the plugin declares needs.conditionsModel but its strategy has no conditioning(at) method',
    );
  }
  const preference = strategy.conditioning({ step, epoch });
  const valid =
    preference.length === taskCount &&
    preference.every((r) => Number.isFinite(r) && r >= 0) &&
    preference.some((r) => r > 0);
  if (!valid) {
    throw new PluginError(
      `conditioning at step ${step} returned [${preference.join(', ')}]; expected ${taskCount} finite numbers >= 0, not all zero`,
    );
  }
}

/**
 * Runs `steps` trainer steps starting at `firstStep` and returns what combine produced. Every tensor
 * the simulated trainer creates is disposed, so any growth in tf.memory().numTensors is the strategy's.
 */
export async function simulateSteps(
  strategy: Strategy,
  setup: SimulationSetup,
  firstStep: number,
  steps: number,
): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  const perEpoch = setup.stepsPerEpoch ?? 5;
  for (let step = firstStep; step < firstStep + steps; step++) {
    const epoch = Math.floor(step / perEpoch);
    // As the trainer: a strategy that conditions the model chooses the step's preference before any forward.
    if (strategy.needs.conditionsModel === true) checkConditioning(strategy, step, epoch, setup.taskCount);
    const { losses, grads } = syntheticInputs(setup, step);
    const space = strategy.needs.grads;
    const gradTensor = space === 'none' ? undefined : tf.tensor2d(grads);
    let output: CheckedCombineOutput;
    try {
      // The trainer's own builder and check: `gram` computed on first read, `layout` for shared
      // gradients; a broken output is the same PluginError the trainer raises.
      output = validateCombineOutput(
        strategy,
        await strategy.combine(
          createCombineInput({
            step,
            epoch,
            losses,
            ...(gradTensor === undefined ? {} : { grads: gradTensor }),
            ...(space === 'shared' ? { layout: simulatedLayout(setup.parameterCount) } : {}),
          }),
        ),
        { taskCount: setup.taskCount, space, directionSize: setup.parameterCount },
      );
    } catch (error) {
      if (error instanceof PluginError)
        throw new PluginError(`step ${step}: ${error.message}`, { cause: error });
      throw error;
    } finally {
      gradTensor?.dispose();
    }
    const record: StepRecord = { weights: Array.from(output.weights) };
    const grown = attachedModels.get(strategy);
    if (grown !== undefined) record.pairModules = grown.pairModules();
    if (output.direction !== undefined) {
      record.direction = Array.from(output.direction.dataSync());
      output.direction.dispose(); // the trainer owns the direction
    }
    records.push(record);
    updateStrategyVariables(strategy, losses);
    if (strategy.needs.lossesAfterUpdate === true) {
      strategy.afterUpdate?.({ step, epoch, lossesBefore: losses, lossesAfter: losses.map((l) => l * 0.97) });
    } else {
      strategy.afterUpdate?.({ step, epoch, lossesBefore: losses });
    }
    if ((step + 1) % perEpoch === 0) {
      strategy.onEpochEnd?.({ epoch, trainLosses: losses.map((l) => l * 1.01) });
    }
  }
  return records;
}

/**
 * A layout like the encoder's for P synthetic shared parameters: an input projection, two blocks of two
 * variables each and a final norm, so per-block strategies see several blocks and variables.
 */
export function simulatedLayout(parameterCount: number): ParameterLayout {
  const parts = [
    { name: 'input/kernel', block: -1 },
    { name: 'block0/attention/kernel', block: 0 },
    { name: 'block0/ffn/kernel', block: 0 },
    { name: 'block1/attention/kernel', block: 1 },
    { name: 'block1/ffn/kernel', block: 1 },
    { name: 'final_norm/gamma', block: 2 },
  ];
  const count = Math.min(parts.length, parameterCount);
  const entries = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const size = i === count - 1 ? parameterCount - offset : Math.floor(parameterCount / count);
    const part = parts[i] as { name: string; block: number };
    entries.push({ name: part.name, block: part.block, offset, size, shape: [size] });
    offset += size;
  }
  return { entries, size: parameterCount };
}

/** One SGD step on the strategy's own variables, as the trainer's optimizer would take. */
function updateStrategyVariables(strategy: Strategy, losses: Float32Array): void {
  const variables = strategy.trainableVariables?.() ?? [];
  if (variables.length === 0 || strategy.variableObjective === undefined) return;
  const objective = strategy.variableObjective.bind(strategy);
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => objective(tf.tensor1d(losses)), variables);
    for (const variable of variables) {
      const grad = grads[variable.name];
      if (grad !== undefined) variable.assign(tf.sub(variable, tf.mul(grad, 0.01)));
    }
  });
}

/** JSON round trip, as a checkpoint does. */
export function roundTripState(state: Json): Json {
  return JSON.parse(JSON.stringify(state)) as Json;
}
