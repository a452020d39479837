import { type GrowableModel, type ParameterEntry, type ParameterLayout, Rng, UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { type AttentionParameters, multiHeadSelfAttention, paddedKeyBias } from './attention.js';
import { type RankerConfig, type RankerConfigInput, resolveRankerConfig } from './config.js';
import { DropoutMasks } from './dropout.js';
import { linearBiasUniform, xavierUniform } from './init.js';
import { layerNorm } from './layer-norm.js';
import { type LinearParameters, linear } from './linear.js';
import { type PairModuleParameters, pairModuleForward, pairModuleParameterCount } from './pair-module.js';

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
}

/** The trunk's output with the residual stream after every block (what growth strategies inspect). */
export interface TrunkOutput {
  /** [B, L, d] after the final LayerNorm: the shared representation the heads read. */
  representation: tf.Tensor3D;
  /** blockCount tensors [B, L, d], the residual stream after each block (before the final norm). */
  blockOutputs: tf.Tensor3D[];
}

/** Who a parameter belongs to: the shared encoder, or one task (its head and fusion weights). */
export type ParameterOwner = 'shared' | { task: number };

export interface NamedVariable {
  /** Stable name, e.g. `blocks.0.attn.q.weight`; the tfjs variable name carries a per-instance prefix. */
  name: string;
  variable: tf.Variable;
  /** -1 input projection, 0..N-1 encoder blocks and their pair modules, N final norm, N+1 heads. */
  block: number;
  owner: ParameterOwner;
}

export interface PairModuleInfo {
  taskA: number;
  taskB: number;
  block: number;
  parameters: number;
}

interface BlockParameters {
  attentionNorm: { gamma: tf.Variable; beta: tf.Variable };
  attention: AttentionParameters;
  ffnNorm: { gamma: tf.Variable; beta: tf.Variable };
  ffnHidden: LinearParameters;
  ffnOutput: LinearParameters;
}

let instanceCounter = 0;

/**
 * The allRank / DeepMTL2R context-aware ranker in plain tfjs-core:
 * Linear(F -> d) -> N pre-norm blocks [x + Drop(MHA(LN x)); x + Drop(FFN(LN x))] -> LN -> Linear(d -> 1)
 * (one head shared by all tasks, or one per task). Parameters are tf.Variables with stable names,
 * initialised from the seed alone (each variable from its own stream keyed by its name).
 */
export class Ranker implements GrowableModel {
  readonly config: RankerConfig;
  readonly seed: number | string;
  private readonly initRng: Rng;
  private readonly dropoutRng: Rng;
  private readonly namePrefix: string;
  private readonly records: NamedVariable[] = [];
  private readonly input: LinearParameters;
  private readonly blockParameters: BlockParameters[] = [];
  private readonly finalNorm: { gamma: tf.Variable; beta: tf.Variable };
  private readonly heads: LinearParameters[] = [];
  private readonly modules: PairModuleParameters[] = [];
  private disposed = false;

  constructor(config: RankerConfig, seed: number | string) {
    this.config = config;
    this.seed = seed;
    const root = new Rng(seed);
    this.initRng = root.derive('init');
    this.dropoutRng = root.derive('dropout');
    this.namePrefix = `ranker${++instanceCounter}/`;
    const { featureCount: f, modelDim: d, ffnDim, blocks } = config;
    this.input = this.linearLayer('input', -1, 'shared', f, d);
    for (let l = 0; l < blocks; l++) {
      const at = `blocks.${l}`;
      this.blockParameters.push({
        attentionNorm: this.normLayer(`${at}.attn_norm`, l),
        attention: {
          q: this.linearLayer(`${at}.attn.q`, l, 'shared', d, d),
          k: this.linearLayer(`${at}.attn.k`, l, 'shared', d, d),
          v: this.linearLayer(`${at}.attn.v`, l, 'shared', d, d),
          o: this.linearLayer(`${at}.attn.o`, l, 'shared', d, d),
        },
        ffnNorm: this.normLayer(`${at}.ffn_norm`, l),
        ffnHidden: this.linearLayer(`${at}.ffn.hidden`, l, 'shared', d, ffnDim),
        ffnOutput: this.linearLayer(`${at}.ffn.output`, l, 'shared', ffnDim, d),
      });
    }
    this.finalNorm = this.normLayer('norm', blocks);
    const headCount = config.perTaskHeads ? config.taskCount : 1;
    for (let k = 0; k < headCount; k++) {
      this.heads.push(
        this.linearLayer(`heads.${k}`, blocks + 1, config.perTaskHeads ? { task: k } : 'shared', d, 1),
      );
    }
  }

  get blockCount(): number {
    return this.config.blocks;
  }

  get taskCount(): number {
    return this.config.taskCount;
  }

  /** H, the last dimension of the scores: taskCount with per-task heads, else 1. */
  get outputCount(): number {
    return this.heads.length;
  }

  /** Input projection, blocks and final norm: features [B, L, F], mask [B, L] -> representation [B, L, d]. */
  trunk(features: tf.Tensor3D, mask: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    return this.runTrunk(features, mask, options, false).representation;
  }

  /** As `trunk`, also returning the residual stream after every block. */
  trunkWithBlocks(features: tf.Tensor3D, mask: tf.Tensor2D, options: ForwardOptions = {}): TrunkOutput {
    return this.runTrunk(features, mask, options, true);
  }

  /**
   * Scores [B, L, H] from the representation. Once pair modules exist, their inputs are the block
   * outputs, so pass `blockOutputs` from `trunkWithBlocks` (or use `apply`).
   */
  score(representation: tf.Tensor3D, blockOutputs?: readonly tf.Tensor3D[]): tf.Tensor3D {
    this.assertUsable();
    if (representation.rank !== 3 || representation.shape[2] !== this.config.modelDim) {
      throw new UserError(
        `ranker.score: representation must have shape [lists, items, ${this.config.modelDim}], got [${representation.shape.join(', ')}]`,
      );
    }
    if (this.modules.length > 0 && blockOutputs?.length !== this.config.blocks) {
      throw new UserError(
        `ranker.score: the model has pair modules, which read the block outputs: pass the ${this.config.blocks} blockOutputs of trunkWithBlocks (got ${blockOutputs?.length ?? 'none'})`,
      );
    }
    return tf.tidy(() => {
      const [batch, length, width] = representation.shape;
      const flat = tf.reshape(representation, [batch * length, width]) as tf.Tensor2D;
      const weights =
        this.heads.length === 1
          ? this.heads[0]!.weight
          : tf.concat(
              this.heads.map((h) => h.weight),
              1,
            );
      const biases =
        this.heads.length === 1
          ? this.heads[0]!.bias
          : tf.concat(
              this.heads.map((h) => h.bias),
              0,
            );
      let scores = tf.add(tf.matMul(flat, weights as tf.Tensor2D), biases);
      if (this.modules.length > 0 && blockOutputs !== undefined) {
        scores = tf.add(scores, this.fusedModuleScores(blockOutputs, weights as tf.Tensor2D));
      }
      return tf.reshape(scores, [batch, length, this.heads.length]) as tf.Tensor3D;
    });
  }

  /** Trunk and heads: scores [B, L, H]. Padded items get finite scores that callers must mask. */
  apply(features: tf.Tensor3D, mask: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const out = this.runTrunk(features, mask, options, this.modules.length > 0);
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
    return this.sharedRecords().map((r) => r.variable);
  }

  /** Task k's own variables: its head and its fusion weights (empty with a shared head and no modules). */
  taskVariables(task: number): tf.Variable[] {
    this.checkTask(task, 'taskVariables');
    return this.records
      .filter((r) => typeof r.owner === 'object' && r.owner.task === task)
      .map((r) => r.variable);
  }

  /** All variables with their stable names, block index and owner, in creation order. */
  namedVariables(): readonly NamedVariable[] {
    return this.records;
  }

  /** Layout of the flattened shared-parameter vector (order of `sharedVariables`). */
  sharedLayout(): ParameterLayout {
    const entries: ParameterEntry[] = [];
    let offset = 0;
    for (const record of this.sharedRecords()) {
      const size = record.variable.size;
      entries.push({
        name: record.name,
        block: record.block,
        offset,
        size,
        shape: [...record.variable.shape],
      });
      offset += size;
    }
    return { entries, size: offset };
  }

  parameterCount(): number {
    return this.records.reduce((sum, r) => sum + r.variable.size, 0);
  }

  /** The current values by stable name (the variables themselves; do not dispose them). */
  weights(): Record<string, tf.Variable> {
    return Object.fromEntries(this.records.map((r) => [r.name, r.variable]));
  }

  /**
   * Assigns values by stable name. The set of names and every shape must match exactly, so a checkpoint
   * of another architecture is refused rather than half-loaded.
   */
  setWeights(values: Readonly<Record<string, tf.Tensor>>, source = 'weights'): void {
    this.assertUsable();
    const expected = new Set(this.records.map((r) => r.name));
    const missing = [...expected].filter((name) => !(name in values));
    const unexpected = Object.keys(values).filter((name) => !expected.has(name));
    if (missing.length > 0 || unexpected.length > 0) {
      const parts = [];
      if (missing.length > 0)
        parts.push(
          `missing ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
        );
      if (unexpected.length > 0)
        parts.push(
          `unexpected ${unexpected.slice(0, 5).join(', ')}${unexpected.length > 5 ? ` and ${unexpected.length - 5} more` : ''}`,
        );
      throw new UserError(`${source}: variables do not match the ranker's architecture: ${parts.join('; ')}`);
    }
    for (const record of this.records) {
      const value = values[record.name] as tf.Tensor;
      if (!sameShape(value.shape, record.variable.shape)) {
        throw new UserError(
          `${source}: ${record.name} has shape [${value.shape.join(', ')}], expected [${record.variable.shape.join(', ')}]`,
        );
      }
    }
    for (const record of this.records) record.variable.assign(values[record.name] as tf.Tensor);
  }

  /**
   * Adds a module mediating tasks A and B at `block` (needs per-task heads). It reads the shared block's
   * output and the pair's previous module output; its output enters both tasks' heads through fusion
   * weights initialised to 0, so scores are unchanged until training moves them. Returns its parameter count.
   */
  addPairModule(taskA: number, taskB: number, block: number): number {
    this.assertUsable();
    if (!this.config.perTaskHeads) {
      throw new UserError(
        'addPairModule needs a ranker with perTaskHeads: true (each task must have its own head to fuse into)',
      );
    }
    this.checkTask(taskA, 'addPairModule taskA');
    this.checkTask(taskB, 'addPairModule taskB');
    if (taskA === taskB)
      throw new UserError(`addPairModule: taskA and taskB must differ, got ${taskA} twice`);
    if (!Number.isInteger(block) || block < 0 || block >= this.config.blocks) {
      throw new UserError(
        `addPairModule: block must be an integer in [0, ${this.config.blocks - 1}], got ${block}`,
      );
    }
    const [a, b] = taskA < taskB ? [taskA, taskB] : [taskB, taskA];
    if (this.modules.some((m) => m.taskA === a && m.taskB === b && m.block === block)) {
      throw new UserError(`addPairModule: tasks ${a} and ${b} already have a module at block ${block}`);
    }
    const { modelDim: d, pairModuleDim: r } = this.config;
    const at = `pairs.${a}-${b}.${block}`;
    const input = this.linearLayer(`${at}.input`, block, 'shared', d, r);
    const previous = this.createVariable(`${at}.previous.weight`, block, 'shared', [d, r], () =>
      xavierUniform(this.initRng.derive(`${at}.previous.weight`), d, r),
    );
    const output = this.linearLayer(`${at}.output`, block, 'shared', r, d);
    const fusionA = this.createVariable(
      `${at}.fusion.${a}`,
      block,
      { task: a },
      [],
      () => new Float32Array(1),
    );
    const fusionB = this.createVariable(
      `${at}.fusion.${b}`,
      block,
      { task: b },
      [],
      () => new Float32Array(1),
    );
    this.modules.push({ taskA: a, taskB: b, block, input, previous, output, fusionA, fusionB });
    return pairModuleParameterCount(d, r);
  }

  pairModules(): readonly PairModuleInfo[] {
    const parameters = pairModuleParameterCount(this.config.modelDim, this.config.pairModuleDim);
    return this.modules.map(({ taskA, taskB, block }) => ({ taskA, taskB, block, parameters }));
  }

  /** Releases every variable. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const record of this.records) record.variable.dispose();
  }

  private runTrunk(
    features: tf.Tensor3D,
    mask: tf.Tensor2D,
    options: ForwardOptions,
    keepBlocks: boolean,
  ): TrunkOutput {
    this.assertUsable();
    this.checkInputs(features, mask);
    const dropout = this.dropoutFor(options);
    return tf.tidy(() => {
      const keyBias = paddedKeyBias(mask);
      const drop = (x: tf.Tensor, site: string) => (dropout === undefined ? x : dropout.apply(x, site));
      const { layerNorm: kind, heads } = this.config;
      // Zero the padded items' features so even NaN or Infinity there cannot reach a real item (0 * NaN is NaN).
      const realItems = tf.expandDims(tf.cast(mask, 'bool'), 2);
      const cleanFeatures = tf.where(realItems, features, tf.zerosLike(features));
      let x = linear(cleanFeatures, this.input) as tf.Tensor3D;
      const blockOutputs: tf.Tensor3D[] = [];
      this.blockParameters.forEach((block, l) => {
        const normed = layerNorm(
          x,
          block.attentionNorm.gamma as tf.Tensor1D,
          block.attentionNorm.beta as tf.Tensor1D,
          kind,
        ) as tf.Tensor3D;
        const attended = multiHeadSelfAttention(
          normed,
          block.attention,
          keyBias,
          heads,
          dropout,
          `blocks.${l}.attn`,
        );
        x = tf.add(x, drop(attended, `blocks.${l}.attn.residual`));
        const ffnIn = layerNorm(
          x,
          block.ffnNorm.gamma as tf.Tensor1D,
          block.ffnNorm.beta as tf.Tensor1D,
          kind,
        );
        const hidden = drop(tf.relu(linear(ffnIn, block.ffnHidden)), `blocks.${l}.ffn.hidden`);
        x = tf.add(x, drop(linear(hidden, block.ffnOutput), `blocks.${l}.ffn.residual`));
        if (keepBlocks) blockOutputs.push(x);
      });
      const representation = layerNorm(
        x,
        this.finalNorm.gamma as tf.Tensor1D,
        this.finalNorm.beta as tf.Tensor1D,
        kind,
      ) as tf.Tensor3D;
      return { representation, blockOutputs };
    });
  }

  /** [B*L, K] score contributions of the pair modules: fusion weight * (module output . head weight). */
  private fusedModuleScores(blockOutputs: readonly tf.Tensor3D[], headWeights: tf.Tensor2D): tf.Tensor2D {
    const taskCount = this.heads.length;
    const outputs = new Map<PairModuleParameters, tf.Tensor3D>();
    // Chains run from shallow to deep blocks, whatever order the modules were added in.
    const ordered = [...this.modules].sort((m, n) => m.block - n.block);
    let total: tf.Tensor2D | undefined;
    for (const module of ordered) {
      const previousModule = ordered
        .filter((m) => m.taskA === module.taskA && m.taskB === module.taskB && m.block < module.block)
        .pop();
      const previous = previousModule === undefined ? undefined : outputs.get(previousModule);
      const output = pairModuleForward(blockOutputs[module.block] as tf.Tensor3D, previous, module);
      outputs.set(module, output);
      const [batch, length, width] = output.shape;
      const projected = tf.matMul(tf.reshape(output, [batch * length, width]) as tf.Tensor2D, headWeights);
      const oneHot = (task: number) =>
        tf.tensor1d(Array.from({ length: taskCount }, (_, k) => (k === task ? 1 : 0)));
      const fusionRow = tf.add(
        tf.mul(module.fusionA, oneHot(module.taskA)),
        tf.mul(module.fusionB, oneHot(module.taskB)),
      );
      const contribution = tf.mul(projected, fusionRow) as tf.Tensor2D;
      total = total === undefined ? contribution : (tf.add(total, contribution) as tf.Tensor2D);
    }
    return total as tf.Tensor2D;
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

  private checkTask(task: number, where: string): void {
    if (!Number.isInteger(task) || task < 0 || task >= this.config.taskCount) {
      throw new UserError(
        `${where}: task must be an integer in [0, ${this.config.taskCount - 1}], got ${task}`,
      );
    }
  }

  private assertUsable(): void {
    if (this.disposed) throw new UserError('this ranker was disposed; create or load a new one');
  }

  private sharedRecords(): NamedVariable[] {
    return this.records.filter((r) => r.owner === 'shared');
  }

  private linearLayer(
    name: string,
    block: number,
    owner: ParameterOwner,
    fanIn: number,
    fanOut: number,
  ): LinearParameters {
    const weightName = `${name}.weight`;
    const biasName = `${name}.bias`;
    return {
      weight: this.createVariable(weightName, block, owner, [fanIn, fanOut], () =>
        xavierUniform(this.initRng.derive(weightName), fanIn, fanOut),
      ),
      bias: this.createVariable(biasName, block, owner, [fanOut], () =>
        linearBiasUniform(this.initRng.derive(biasName), fanIn, fanOut),
      ),
    };
  }

  private normLayer(name: string, block: number): { gamma: tf.Variable; beta: tf.Variable } {
    const d = this.config.modelDim;
    return {
      gamma: this.createVariable(`${name}.gamma`, block, 'shared', [d], () => new Float32Array(d).fill(1)),
      beta: this.createVariable(`${name}.beta`, block, 'shared', [d], () => new Float32Array(d)),
    };
  }

  private createVariable(
    name: string,
    block: number,
    owner: ParameterOwner,
    shape: number[],
    values: () => Float32Array,
  ): tf.Variable {
    const variable = tf.tidy(() =>
      tf.variable(tf.tensor(values(), shape, 'float32'), true, `${this.namePrefix}${name}`),
    );
    this.records.push({ name, variable, block, owner });
    return variable;
  }
}

/** Validates the config (ConfigError with paths), fills defaults and initialises every parameter from the seed. */
export function createRanker(config: RankerConfigInput, seed: number | string): Ranker {
  if (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string') {
    throw new UserError(`createRanker: seed must be a finite number or a string, got ${String(seed)}`);
  }
  return new Ranker(resolveRankerConfig(config), seed);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
