import {
  CONTRACT_VERSION,
  type CombineInput,
  type CombineOutput,
  ConfigError,
  defineStrategy,
  type GrowableModel,
  PluginError,
  type Strategy,
  type StrategyContext,
} from '@mtl2r/core';
import { minNormPoint } from '@mtl2r/solvers';
import packageJson from '../package.json' with { type: 'json' };
import { blockPairCosines, taskPairs } from './block-conflicts.js';
import { ConflictStatistics } from './conflict-statistics.js';
import { planGrowth } from './growth-plan.js';
import { freshState, type MamoState, stateFromJson, stateToJson } from './mamo-state.js';
import { type MamoOptions, mamoOptions } from './options.js';

/**
 * MAMO (Tan, Hu, Zhang): a search phase trains the shared encoder with equal task weights while counting,
 * per encoder block l and task pair (i, j), the steps where the block's task gradients point against each
 * other (Q_ij^l = #{cos < 0}). At its end a gradient mediative kernel is grown through `GrowableModel` for
 * every (pair, block) whose Q reaches the mean of Q's non-zero entries; the model computes exactly what it
 * computed before (zero fusion weights). From then on, shared + kernel parameters follow MGDA's min-norm
 * point of the task gradients, computed from the Gram matrix with @mtl2r/solvers.
 */
export const mamoPlugin = defineStrategy<MamoOptions>({
  id: 'mamo',
  contractVersion: CONTRACT_VERSION,
  family: 'architecture',
  paretoFront: false,
  needs: { grads: 'shared', growsModel: true },
  weightsSumToOne: true,
  description: 'MAMO: grows task-pair modules where block gradients conflict, then trains with MGDA',
  packageName: packageJson.name,
  options: mamoOptions,
  create(options, context): Strategy {
    checkCreate(options, context);
    return new MamoStrategy(options, context);
  },
});

function checkCreate(options: MamoOptions, context: StrategyContext): void {
  if (context.taskCount < 2) {
    throw new ConfigError("strategy 'mamo'", [
      {
        path: 'data.spec.tasks',
        message: `MAMO mediates pairs of tasks: it needs at least 2 tasks, got ${context.taskCount} [${context.taskNames.join(', ')}]`,
      },
    ]);
  }
  if (options.gradientSpace === 'representation') {
    throw new ConfigError("strategy 'mamo'", [
      {
        path: 'strategy.options.gradientSpace',
        message:
          "representation-space gradients stop at the encoder output and never reach the grown modules (they read the block outputs beside it): use 'shared'",
      },
    ]);
  }
  const epochs = context.plannedEpochs;
  const searchEpochs = options.searchSteps === undefined ? (options.searchEpochs ?? 1) : undefined;
  if (epochs !== undefined && searchEpochs !== undefined && searchEpochs >= epochs) {
    throw new ConfigError("strategy 'mamo'", [
      {
        path: 'strategy.options.searchEpochs',
        message: `the search phase (${searchEpochs} epoch(s)) must end before training does (training.epochs = ${epochs}): expected searchEpochs < ${epochs}`,
      },
    ]);
  }
}

class MamoStrategy implements Strategy {
  readonly needs = { grads: 'shared', growsModel: true } as const;
  private model: GrowableModel | undefined;
  private current: MamoState;
  private readonly pairs: [number, number][];
  private readonly searchEpochs: number | undefined;

  constructor(
    private readonly options: MamoOptions,
    private readonly context: StrategyContext,
  ) {
    this.pairs = taskPairs(context.taskCount);
    this.current = freshState(0, this.pairs.length);
    this.searchEpochs = options.searchSteps === undefined ? (options.searchEpochs ?? 1) : undefined;
  }

  attachModel(model: GrowableModel): void {
    if (model.taskCount !== this.context.taskCount) {
      throw new PluginError(
        `mamo: the model has ${model.taskCount} tasks, the strategy ${this.context.taskCount}`,
      );
    }
    if (!(model.blockCount >= 1)) {
      throw new ConfigError("strategy 'mamo'", [
        {
          path: 'model.blocks',
          message: `MAMO grows modules at encoder blocks: expected at least 1 block, got ${model.blockCount}`,
        },
      ]);
    }
    const state = this.current;
    if (state.stats.steps === 0 && state.phase === 'search') {
      state.stats = new ConflictStatistics(model.blockCount, this.pairs.length);
    } else if (state.stats.blockCount !== model.blockCount) {
      throw new PluginError(
        `mamo: the saved search statistics cover ${state.stats.blockCount} blocks, the model has ${model.blockCount}`,
      );
    }
    const key = (m: { taskA: number; taskB: number; block: number }) => `${m.taskA}-${m.taskB}@${m.block}`;
    const present = model.pairModules().map(key).sort().join(', ');
    const expected = state.modules.map(key).sort().join(', ');
    if (present !== expected) {
      // On resume the trainer loads the checkpoint's model, which was saved with its modules.
      throw new PluginError(
        `mamo: the model's pair modules [${present}] differ from the strategy state's [${expected}] (phase ${state.phase}); resume from a checkpoint that holds both`,
      );
    }
    this.model = model;
  }

  combine(input: CombineInput): CombineOutput {
    const { step, grads, layout, gram } = input;
    if (this.model === undefined)
      throw new PluginError('mamo: combine before attachModel (the trainer attaches the model first)');
    if (grads === undefined || layout === undefined || gram === undefined) {
      throw new PluginError(
        'mamo needs the per-task gradients of the shared parameters and their layout (needs.grads = shared)',
      );
    }
    this.current.lastStep = step;
    if (this.current.phase === 'grown') return this.mgda(gram);
    const cosines = blockPairCosines(grads, layout, this.model.blockCount);
    this.current.stats.add(cosines);
    const diagnostics: Record<string, number> = {};
    cosines.forEach((row, block) => {
      this.pairs.forEach(([i, j], p) => {
        diagnostics[`cos(${i},${j})@${block}`] = row[p] as number;
      });
    });
    if (this.options.searchSteps !== undefined && this.current.stats.steps >= this.options.searchSteps)
      this.grow(step);
    const k = this.context.taskCount;
    return { weights: new Array<number>(k).fill(1 / k), diagnostics };
  }

  onEpochEnd({ epoch }: { epoch: number }): void {
    if (this.current.phase !== 'search') return;
    if (this.searchEpochs !== undefined && epoch + 1 >= this.searchEpochs) {
      this.grow(this.current.lastStep);
      return;
    }
    const planned = this.context.plannedEpochs;
    const searchSteps = this.options.searchSteps;
    if (epoch === 0 && searchSteps !== undefined && planned !== undefined) {
      const total = (this.current.lastStep + 1) * planned;
      if (searchSteps >= total) {
        throw new ConfigError("strategy 'mamo'", [
          {
            path: 'strategy.options.searchSteps',
            message: `the search phase (${searchSteps} steps) must end before training does (${planned} epochs of ${this.current.lastStep + 1} steps = ${total}): expected searchSteps < ${total}`,
          },
        ]);
      }
    }
  }

  /** The grown architecture: which pairs at which blocks, and the parameters added. */
  private grow(step: number): void {
    const model = this.model as GrowableModel;
    const { stats } = this.current;
    const plan = planGrowth(stats, this.context.taskCount, this.options.threshold);
    const names = this.context.taskNames;
    const log = (metric: string, value: number, task?: string) =>
      this.context.log.write({ metric, value, step, ...(task === undefined ? {} : { task }) });
    for (let block = 0; block < stats.blockCount; block++) {
      this.pairs.forEach(([i, j], p) => {
        const at = `${names[i]}~${names[j]}@block${block}`;
        log('mamo/conflicts', stats.count(block, p), at);
        log('mamo/conflict_magnitude', stats.meanNegativeMagnitude(block, p), at);
      });
    }
    let added = 0;
    for (const module of plan.modules) added += model.addPairModule(module.taskA, module.taskB, module.block);
    log('mamo/threshold', plan.threshold);
    log('mamo/grown_modules', plan.modules.length);
    log('mamo/parameters_added', added);
    this.current.phase = 'grown';
    this.current.threshold = plan.threshold;
    this.current.modules = plan.modules.map(({ taskA, taskB, block }) => ({ taskA, taskB, block }));
  }

  private mgda(gram: Float64Array): CombineOutput {
    const result = minNormPoint(gram, {
      method: this.options.solver,
      maxIterations: this.options.maxIterations,
    });
    return {
      weights: Array.from(result.weights),
      diagnostics: {
        min_norm: Math.sqrt(Math.max(0, result.normSquared)),
        solver_iterations: result.iterations,
      },
    };
  }

  state() {
    return stateToJson(this.current);
  }

  loadState(state: Parameters<Strategy['loadState']>[0]): void {
    this.current = stateFromJson(state, this.pairs.length);
  }

  dispose(): void {}
}
