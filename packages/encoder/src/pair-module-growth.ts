import { type GrowableModel, UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import type { RankerConfig } from './config.js';
import { type PairModuleParameters, pairModuleForward, pairModuleParameterCount } from './pair-module.js';
import type { VariableStore } from './variable-store.js';

export interface PairModuleInfo {
  taskA: number;
  taskB: number;
  block: number;
  parameters: number;
}

/**
 * The growth machinery behind the ranker's `GrowableModel`: adds task-pair modules (their variables go into
 * the ranker's store, so they train, save and load like any other) and computes their contribution to the
 * per-task scores. A new module's fusion weights start at 0, so growing never changes the scores.
 */
export class PairModuleGrowth implements Pick<GrowableModel, 'addPairModule' | 'pairModules'> {
  private readonly modules: PairModuleParameters[] = [];

  constructor(
    private readonly store: VariableStore,
    private readonly config: RankerConfig,
  ) {}

  get size(): number {
    return this.modules.length;
  }

  /**
   * Adds a module mediating tasks A and B at `block` (needs per-task heads). It reads the shared block's
   * output and the pair's previous module output; its output enters both tasks' heads through fusion
   * weights initialised to 0. Returns its parameter count.
   */
  addPairModule(taskA: number, taskB: number, block: number): number {
    this.store.assertUsable();
    const { perTaskHeads, taskCount, blocks, modelDim: d, pairModuleDim: r } = this.config;
    if (!perTaskHeads) {
      throw new UserError(
        'addPairModule needs a ranker with perTaskHeads: true (each task must have its own head to fuse into)',
      );
    }
    checkTask(taskA, taskCount, 'addPairModule taskA');
    checkTask(taskB, taskCount, 'addPairModule taskB');
    if (taskA === taskB)
      throw new UserError(`addPairModule: taskA and taskB must differ, got ${taskA} twice`);
    if (!Number.isInteger(block) || block < 0 || block >= blocks) {
      throw new UserError(`addPairModule: block must be an integer in [0, ${blocks - 1}], got ${block}`);
    }
    const [a, b] = taskA < taskB ? [taskA, taskB] : [taskB, taskA];
    if (this.modules.some((m) => m.taskA === a && m.taskB === b && m.block === block)) {
      throw new UserError(`addPairModule: tasks ${a} and ${b} already have a module at block ${block}`);
    }
    const at = `pairs.${a}-${b}.${block}`;
    const input = this.store.linear(`${at}.input`, block, 'shared', d, r);
    const previous = this.store.matrix(`${at}.previous.weight`, block, 'shared', d, r);
    const output = this.store.linear(`${at}.output`, block, 'shared', r, d);
    const zero = () => new Float32Array(1);
    const fusionA = this.store.create(`${at}.fusion.${a}`, block, { task: a }, [], zero);
    const fusionB = this.store.create(`${at}.fusion.${b}`, block, { task: b }, [], zero);
    this.modules.push({ taskA: a, taskB: b, block, input, previous, output, fusionA, fusionB });
    return pairModuleParameterCount(d, r);
  }

  pairModules(): readonly PairModuleInfo[] {
    const parameters = pairModuleParameterCount(this.config.modelDim, this.config.pairModuleDim);
    return this.modules.map(({ taskA, taskB, block }) => ({ taskA, taskB, block, parameters }));
  }

  /**
   * [B*L, K] score contributions of the modules: fusion weight * (module output . head weight), i.e. task
   * m's head reads its representation plus the fusion-weighted outputs of the modules of its pairs.
   */
  fusedScores(blockOutputs: readonly tf.Tensor3D[], headWeights: tf.Tensor2D): tf.Tensor2D {
    const taskCount = headWeights.shape[1];
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
}

export function checkTask(task: number, taskCount: number, where: string): void {
  if (!Number.isInteger(task) || task < 0 || task >= taskCount) {
    throw new UserError(`${where}: task must be an integer in [0, ${taskCount - 1}], got ${task}`);
  }
}
