import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Scalar, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { MetricsSink } from './metrics-sink.js';
import type { Rng } from './rng.js';

/**
 * The strategy contract: how a multi-task-learning algorithm plugs into the trainer.
 *
 * A plugin declares what it needs (per-task gradients or not, in which space, a preference vector,
 * positive losses, the losses after the update, a growable model) and the trainer provides exactly that.
 * The trainer never names a strategy. docs/writing-a-strategy.md maps all 21 DeepMTL2R methods and MAMO
 * onto this contract.
 */
export const CONTRACT_VERSION = 1 as const;
export type ContractVersion = typeof CONTRACT_VERSION;

/** JSON-serialisable value: what `state()` returns and checkpoints store. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type StrategyFamily = 'scalarization' | 'weighting' | 'gradient' | 'architecture';

/**
 * Where per-task gradients are taken.
 * - `none`: the strategy sees only the K loss values (scalarizations, loss weighting).
 * - `shared`: G is [K, P], the gradient of each task loss with respect to all shared parameters, flattened.
 * - `representation`: G is [K, N*d], the gradient of each task loss with respect to the shared encoder
 *   output (MGDA-UB style); far cheaper, one backward through the trunk instead of K.
 */
export type GradientSpace = 'none' | 'shared' | 'representation';

export interface StrategyNeeds {
  /** What per-task gradients the trainer must compute before `combine`. */
  grads: GradientSpace;
  /** Uses a preference vector (LS, STL, Chebyshev, EPO, WC-MGDA); the trainer validates its length. */
  preference?: boolean;
  /** Takes logarithms of the losses: the trainer refuses losses that can be <= 0 before training starts. */
  positiveLosses?: boolean;
  /** Wants the K losses of the same batch re-evaluated after the optimizer step (FAMO). */
  lossesAfterUpdate?: boolean;
  /** Grows the model (MAMO): the trainer passes a `GrowableModel` to `attachModel`. */
  growsModel?: boolean;
  /**
   * Conditions the model on a preference it chooses each step (Pareto-front learning): the trainer
   * requires a conditioned model (`model.conditioning`) and runs each step's forward passes on what
   * `Strategy.conditioning` returns.
   */
  conditionsModel?: boolean;
}

/** Describes the flattened shared-parameter vector, so a strategy can work per block or per variable. */
export interface ParameterLayout {
  /** One entry per shared variable, in flattening order. */
  entries: readonly ParameterEntry[];
  /** Total length P of the flattened vector. */
  size: number;
}

export interface ParameterEntry {
  name: string;
  /** Block index in the encoder (-1 for input projection, blockCount for the final norm, etc.). */
  block: number;
  offset: number;
  size: number;
  shape: readonly number[];
}

export interface CombineInput {
  /** Global optimisation step, starting at 0. */
  step: number;
  epoch: number;
  /** The K task loss values of this step (detached). */
  losses: Float32Array;
  /**
   * [K, P] per-task gradients when `needs.grads !== 'none'`. Owned by the trainer: do not dispose; do not
   * keep a reference beyond `combine` (clone what you need).
   */
  grads?: Tensor2D;
  /**
   * The K x K Gram matrix G G^T of `grads` (row-major, float64, symmetric), present whenever `grads` is.
   * Computed once per step on first read (see `createCombineInput`): most gradient methods are a function
   * of it alone (as in TorchJD), so they never touch [P]-sized data. Read it during `combine`.
   */
  gram?: Float64Array;
  /** Layout of the columns of `grads` when `needs.grads === 'shared'`. */
  layout?: ParameterLayout;
}

/**
 * What the strategy decides. The shared-parameter update direction is `sum_i weights[i] * g_i` unless
 * `direction` is given. Task-specific parameters (per-task heads) always receive `weights[i] * g_i` of their
 * own task, so a strategy that returns only `direction` should still return sensible weights (e.g. 1s).
 */
export interface CombineOutput {
  /** K task weights, finite. */
  weights: ArrayLike<number>;
  /**
   * Optional [P] direction in the gradient space of `needs.grads` (GradDrop, anything that is not a linear
   * combination of task gradients). The trainer takes ownership and disposes it.
   */
  direction?: Tensor1D;
  /** Named scalars the trainer logs for this step (e.g. `{ 'cos(0,1)': -0.2 }`). */
  diagnostics?: Readonly<Record<string, number>>;
}

export interface AfterUpdateInput {
  step: number;
  epoch: number;
  /** The losses `combine` saw. */
  lossesBefore: Float32Array;
  /** The same batch's losses after the optimizer step (only when `needs.lossesAfterUpdate`). */
  lossesAfter?: Float32Array;
}

export interface EpochSummary {
  epoch: number;
  /** Mean training loss of each task over the epoch. */
  trainLosses: Float32Array;
  /** Validation metrics by name per task, when evaluated this epoch. */
  validation?: Readonly<Record<string, Float32Array>>;
}

/**
 * A model that an architecture strategy may grow (MAMO). The encoder implements it; the strategy never
 * imports the encoder. After `addPairModule` the trainer re-collects trainable variables.
 */
export interface GrowableModel {
  readonly blockCount: number;
  readonly taskCount: number;
  /** Adds a module mediating tasks i and j at block `block`; returns its parameter count. */
  addPairModule(taskA: number, taskB: number, block: number): number;
  /** The modules added so far. */
  pairModules(): readonly { taskA: number; taskB: number; block: number; parameters: number }[];
  parameterCount(): number;
}

export interface StrategyContext {
  taskCount: number;
  taskNames: readonly string[];
  /** The strategy's own random stream (derived from the run seed). */
  rng: Rng;
  /** Normalised to sum 1, validated to length K, when the plugin declares `needs.preference`. */
  preference?: readonly number[];
  /**
   * The same preference as the config wrote it (validated, not normalised), or undefined when none was
   * given. For compatibility modes that reproduce code which uses the preference unnormalised (DeepMTL2R's
   * task_weights); every other use wants `preference`.
   */
  rawPreference?: readonly number[];
  /** The epochs the trainer will run (config `training.epochs`), when known: lets a phased strategy refuse a plan longer than training. */
  plannedEpochs?: number;
  log: MetricsSink;
}

export interface Strategy {
  /** The needs of this instance (options may change them, e.g. MGDA's gradient space). */
  readonly needs: StrategyNeeds;
  combine(input: CombineInput): CombineOutput | Promise<CombineOutput>;
  /** Variables the trainer's optimizer updates by the gradient of `variableObjective` (uncertainty weighting). */
  trainableVariables?(): Variable[];
  /** A differentiable objective of the detached losses [K] whose gradient the trainer follows for `trainableVariables`. */
  variableObjective?(losses: Tensor1D): Scalar;
  afterUpdate?(input: AfterUpdateInput): void;
  onEpochEnd?(summary: EpochSummary): void;
  /**
   * Strategies with `needs.conditionsModel`: the preference (K numbers, normalised by the model) that this
   * step's forward passes are conditioned on. Called once per step, before any forward pass.
   */
  conditioning?(at: { step: number; epoch: number }): readonly number[];
  /** Architecture strategies: called once before training with the model they may grow. */
  attachModel?(model: GrowableModel): void;
  /** Everything needed to continue identically after a restart. */
  state(): Json;
  loadState(state: Json): void;
  /** Releases tensors and variables the strategy owns. Idempotent. */
  dispose(): void;
}

export interface StrategyPlugin<Options = unknown> {
  /** Stable id, lower case with `_` or `-` separators: `pcgrad`, `soft_wc`. */
  id: string;
  contractVersion: ContractVersion;
  family: StrategyFamily;
  /** Targets a point of the Pareto front chosen by a preference vector. */
  paretoFront: boolean;
  /** The gradient spaces this plugin can work in and its other needs; `create` picks one per instance. */
  needs: Omit<StrategyNeeds, 'grads'> & { grads: GradientSpace | readonly GradientSpace[] };
  /** The weights returned by `combine` are non-negative and sum to 1. */
  weightsSumToOne?: boolean;
  /** One-line description for `mtl2r strategies`. */
  description?: string;
  /** npm package that provides the plugin, for error messages (`@mtl2r/strategy-pcgrad`). */
  packageName?: string;
  /** Options schema (any Standard Schema library; zod v4 in mtl2r's own plugins). Must accept `{}`. */
  options: StandardSchemaV1<unknown, Options>;
  create(options: Options, context: StrategyContext): Strategy;
}

/** Identity helper that types a plugin's options from its schema. */
export function defineStrategy<Options>(plugin: StrategyPlugin<Options>): StrategyPlugin<Options> {
  return plugin;
}

export function declaredGradientSpaces(plugin: StrategyPlugin<unknown>): readonly GradientSpace[] {
  const grads = plugin.needs.grads;
  return typeof grads === 'string' ? [grads] : grads;
}
