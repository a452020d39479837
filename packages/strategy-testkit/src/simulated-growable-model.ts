import { type GrowableModel, PluginError } from '@mtl2r/core';

export interface PairModuleRecord {
  taskA: number;
  taskB: number;
  block: number;
  parameters: number;
}

/**
 * A small `GrowableModel` for the conformance checks: it keeps the book of pair modules the encoder would
 * grow (same argument checks, same parameter count per module) without any tensors, so a growing strategy
 * (MAMO) can be driven through `attachModel` exactly as the trainer drives it.
 */
export class SimulatedGrowableModel implements GrowableModel {
  readonly blockCount: number;
  readonly taskCount: number;
  private readonly modules: PairModuleRecord[] = [];
  private readonly baseParameters: number;
  private readonly moduleParameters: number;

  constructor(taskCount: number, options: { blockCount?: number; modelDim?: number; hidden?: number } = {}) {
    this.taskCount = taskCount;
    this.blockCount = options.blockCount ?? 2;
    const d = options.modelDim ?? 8;
    const hidden = options.hidden ?? 4;
    // d -> hidden -> d with biases, as a pair module of the encoder.
    this.moduleParameters = d * hidden + hidden + hidden * d + d;
    this.baseParameters = this.blockCount * 12 * d * d;
  }

  addPairModule(taskA: number, taskB: number, block: number): number {
    const valid = (t: number) => Number.isInteger(t) && t >= 0 && t < this.taskCount;
    if (!valid(taskA) || !valid(taskB) || taskA === taskB) {
      throw new PluginError(
        `addPairModule(${taskA}, ${taskB}, ${block}): tasks must be two different integers in [0, ${this.taskCount})`,
      );
    }
    if (!Number.isInteger(block) || block < 0 || block >= this.blockCount) {
      throw new PluginError(
        `addPairModule(${taskA}, ${taskB}, ${block}): block must be an integer in [0, ${this.blockCount})`,
      );
    }
    const [a, b] = taskA < taskB ? [taskA, taskB] : [taskB, taskA];
    if (this.modules.some((m) => m.taskA === a && m.taskB === b && m.block === block)) {
      throw new PluginError(`addPairModule(${a}, ${b}, ${block}): that module already exists`);
    }
    this.modules.push({ taskA: a, taskB: b, block, parameters: this.moduleParameters });
    return this.moduleParameters;
  }

  /** A copy with the same modules: what the trainer restores from a checkpoint before `attachModel`. */
  clone(): SimulatedGrowableModel {
    const copy = new SimulatedGrowableModel(this.taskCount, {
      blockCount: this.blockCount,
    });
    for (const m of this.modules) copy.addPairModule(m.taskA, m.taskB, m.block);
    return copy;
  }

  pairModules(): readonly PairModuleRecord[] {
    return this.modules.map((m) => ({ ...m }));
  }

  parameterCount(): number {
    return this.baseParameters + this.modules.length * this.moduleParameters;
  }
}
