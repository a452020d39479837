import { type GrowableModel, type ParameterLayout, Rng, UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type ConditioningParameters,
  checkPreference,
  conditioningTensors,
  createConditioning,
  disposeConditioning,
} from './conditioning.js';
import { type RankerConfig, type RankerConfigInput, resolveRankerConfig } from './config.js';
import { DropoutMasks } from './dropout.js';
import type { LinearParameters } from './linear.js';
import { checkTask, PairModuleGrowth, type PairModuleInfo } from './pair-module-growth.js';
import { createTrunkParameters, runTrunk, type TrunkOutput, type TrunkParameters } from './trunk.js';
import { type NamedVariable, VariableStore } from './variable-store.js';

export type { PairModuleInfo } from './pair-module-growth.js';
export type { TrunkOutput } from './trunk.js';
export type { NamedVariable, ParameterOwner } from './variable-store.js';

export interface ForwardOptions {
  /** Apply dropout (training mode). Default false. */
  training?: boolean;
  /**
   * Seeds every dropout mask of this forward pass; the same seed reproduces the same masks (needed to
   * re-run a forward pass identically, e.g. K per-task gradients or losses after an update). When
   * omitted in training mode, the ranker draws one from its own seeded stream.
   */
  dropoutSeed?: number;
  /**
   * Masks to use instead of `dropoutSeed` (its rate must equal the config's dropout). Pass one
   * `new DropoutMasks(seed, rate, { cache: true })` to the K forward passes of a step to draw each mask once.
   */
  dropoutMasks?: DropoutMasks;
  /**
   * The preference r (one number per task, normalised to sum 1) of a conditioned ranker
   * (`config.conditioning`): required by one, refused by an unconditioned one.
   */
  preference?: readonly number[];
}

/**
 * The allRank / DeepMTL2R context-aware ranker in plain tfjs-core:
 * Linear(F -> d) -> N pre-norm blocks [x + Drop(MHA(LN x)); x + Drop(FFN(LN x))] -> LN -> Linear(d -> 1)
 * (one head shared by all tasks, or one per task), plus the task-pair modules a growing strategy adds.
 * The concerns live in their own modules: variables (variable-store.ts), the trunk's forward pass
 * (trunk.ts), growth (pair-module-growth.ts), serialisation (artifacts.ts, save-load.ts).
 */
export class Ranker implements GrowableModel {
  readonly config: RankerConfig;
  readonly seed: number | string;
  private readonly dropoutRng: Rng;
  private readonly store: VariableStore;
  private readonly trunkParameters: TrunkParameters;
  private readonly heads: LinearParameters[] = [];
  private readonly growth: PairModuleGrowth;
  private readonly conditioning: ConditioningParameters | undefined;

  constructor(config: RankerConfig, seed: number | string) {
    this.config = config;
    this.seed = seed;
    const root = new Rng(seed);
    this.store = new VariableStore(root.derive('init'));
    this.dropoutRng = root.derive('dropout');
    this.trunkParameters = createTrunkParameters(this.store, config);
    this.conditioning = createConditioning(this.store, config);
    const { blocks, modelDim: d, perTaskHeads, taskCount } = config;
    for (let k = 0; k < (perTaskHeads ? taskCount : 1); k++) {
      this.heads.push(
        this.store.linear(`heads.${k}`, blocks + 1, perTaskHeads ? { task: k } : 'shared', d, 1),
      );
    }
    this.growth = new PairModuleGrowth(this.store, config);
  }

  get blockCount(): number {
    return this.config.blocks;
  }

  get taskCount(): number {
    return this.config.taskCount;
  }

  /** Whether forward passes take a preference (`ForwardOptions.preference`). */
  get conditioned(): boolean {
    return this.conditioning !== undefined;
  }

  /** H, the last dimension of the scores: taskCount with per-task heads, else 1. */
  get outputCount(): number {
    return this.heads.length;
  }

  /** Input projection, blocks and final norm: features [B, L, F], mask [B, L] -> representation [B, L, d]. */
  trunk(features: tf.Tensor3D, mask: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    return this.forwardTrunk(features, mask, options, false).representation;
  }

  /** As `trunk`, also returning the residual stream after every block. */
  trunkWithBlocks(features: tf.Tensor3D, mask: tf.Tensor2D, options: ForwardOptions = {}): TrunkOutput {
    return this.forwardTrunk(features, mask, options, true);
  }

  /**
   * Scores [B, L, H] from the representation. Once pair modules exist, their inputs are the block
   * outputs, so pass `blockOutputs` from `trunkWithBlocks` (or use `apply`).
   */
  score(representation: tf.Tensor3D, blockOutputs?: readonly tf.Tensor3D[]): tf.Tensor3D {
    this.store.assertUsable();
    if (representation.rank !== 3 || representation.shape[2] !== this.config.modelDim) {
      throw new UserError(
        `ranker.score: representation must have shape [lists, items, ${this.config.modelDim}], got [${representation.shape.join(', ')}]`,
      );
    }
    if (this.growth.size > 0 && blockOutputs?.length !== this.config.blocks) {
      throw new UserError(
        `ranker.score: the model has pair modules, which read the block outputs: pass the ${this.config.blocks} blockOutputs of trunkWithBlocks (got ${blockOutputs?.length ?? 'none'})`,
      );
    }
    return tf.tidy(() => {
      const [batch, length, width] = representation.shape;
      const flat = tf.reshape(representation, [batch * length, width]) as tf.Tensor2D;
      const single = this.heads.length === 1;
      const weights = (
        single
          ? this.heads[0]?.weight
          : tf.concat(
              this.heads.map((h) => h.weight),
              1,
            )
      ) as tf.Tensor2D;
      const biases = single
        ? (this.heads[0]?.bias as tf.Tensor)
        : tf.concat(
            this.heads.map((h) => h.bias),
            0,
          );
      let scores = tf.add(tf.matMul(flat, weights), biases);
      if (this.growth.size > 0 && blockOutputs !== undefined) {
        scores = tf.add(scores, this.growth.fusedScores(blockOutputs, weights));
      }
      return tf.reshape(scores, [batch, length, this.heads.length]) as tf.Tensor3D;
    });
  }

  /** Trunk and heads: scores [B, L, H]. Padded items get finite scores that callers must mask. */
  apply(features: tf.Tensor3D, mask: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const out = this.forwardTrunk(features, mask, options, this.growth.size > 0);
      return this.score(out.representation, out.blockOutputs);
    });
  }

  /** Every trainable variable: shared ones first (layout order), then each task's. */
  variables(): tf.Variable[] {
    return [
      ...this.sharedVariables(),
      ...Array.from({ length: this.taskCount }, (_, k) => this.taskVariables(k)).flat(),
    ];
  }

  /** The trunk (and the shared head, when there is one) and the pair modules' weights, in layout order. */
  sharedVariables(): tf.Variable[] {
    return this.store.shared().map((r) => r.variable);
  }

  /** Task k's own variables: its head and its fusion weights (empty with a shared head and no modules). */
  taskVariables(task: number): tf.Variable[] {
    checkTask(task, this.config.taskCount, 'taskVariables');
    return this.store.ofTask(task).map((r) => r.variable);
  }

  /** All variables with their stable names, block index and owner, in creation order. */
  namedVariables(): readonly NamedVariable[] {
    return this.store.all();
  }

  /** Layout of the flattened shared-parameter vector (order of `sharedVariables`). */
  sharedLayout(): ParameterLayout {
    return this.store.sharedLayout();
  }

  parameterCount(): number {
    return this.store.parameterCount();
  }

  /** The current values by stable name (the variables themselves; do not dispose them). */
  weights(): Record<string, tf.Variable> {
    return this.store.byName();
  }

  /**
   * Assigns values by stable name. The set of names and every shape must match exactly, so a checkpoint
   * of another architecture is refused rather than half-loaded.
   */
  setWeights(values: Readonly<Record<string, tf.Tensor>>, source = 'weights'): void {
    this.store.assign(values, source);
  }

  /** See `PairModuleGrowth.addPairModule`: scores are unchanged until training moves the fusion weights. */
  addPairModule(taskA: number, taskB: number, block: number): number {
    return this.growth.addPairModule(taskA, taskB, block);
  }

  pairModules(): readonly PairModuleInfo[] {
    return this.growth.pairModules();
  }

  /** Releases every variable. Idempotent. */
  dispose(): void {
    this.store.dispose();
  }

  private forwardTrunk(
    features: tf.Tensor3D,
    mask: tf.Tensor2D,
    options: ForwardOptions,
    keepBlocks: boolean,
  ): TrunkOutput {
    this.store.assertUsable();
    this.checkInputs(features, mask);
    const preference = checkPreference(options.preference, this.config, 'ranker forward');
    const conditioning =
      this.conditioning === undefined || preference === undefined
        ? undefined
        : conditioningTensors(this.conditioning, preference);
    try {
      const dropout = this.dropoutFor(options);
      return runTrunk(this.trunkParameters, this.config, features, mask, dropout, keepBlocks, conditioning);
    } finally {
      disposeConditioning(conditioning);
    }
  }

  private dropoutFor(options: ForwardOptions): DropoutMasks | undefined {
    if (options.training !== true || this.config.dropout === 0) return undefined;
    if (options.dropoutMasks !== undefined) {
      if (options.dropoutMasks.rate !== this.config.dropout) {
        throw new UserError(
          `ranker forward: dropoutMasks has rate ${options.dropoutMasks.rate}, but the ranker's dropout is ${this.config.dropout}`,
        );
      }
      return options.dropoutMasks;
    }
    return new DropoutMasks(options.dropoutSeed ?? this.dropoutRng.seed31(), this.config.dropout);
  }

  private checkInputs(features: tf.Tensor3D, mask: tf.Tensor2D): void {
    const f = this.config.featureCount;
    if (features.rank !== 3 || features.shape[2] !== f) {
      throw new UserError(
        `ranker input: features must have shape [lists, items, ${f}], got [${features.shape.join(', ')}]`,
      );
    }
    if (mask.rank !== 2 || mask.shape[0] !== features.shape[0] || mask.shape[1] !== features.shape[1]) {
      throw new UserError(
        `ranker input: mask must have shape [${features.shape[0]}, ${features.shape[1]}] (lists, items) to match the features, got [${mask.shape.join(', ')}]`,
      );
    }
  }
}

/** Validates the config (ConfigError with paths), fills defaults and initialises every parameter from the seed. */
export function createRanker(config: RankerConfigInput, seed: number | string): Ranker {
  if (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string') {
    throw new UserError(`createRanker: seed must be a finite number or a string, got ${String(seed)}`);
  }
  return new Ranker(resolveRankerConfig(config), seed);
}
