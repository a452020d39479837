import {
  CONTRACT_VERSION,
  ConfigError,
  defineStrategy,
  type Json,
  type Strategy,
  UserError,
} from '@mtl2r/core';
import { normaliseToSimplex } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const ecOptions = z.strictObject({
  /** Index of the task that is minimised; every other task is an auxiliary task with a constraint. */
  mainTask: z.number().int().nonnegative().default(0),
  /**
   * Upper bounds eps_i on the auxiliary losses, one per auxiliary task in task order (skipping the main
   * task), or one number for all. Omitted: each auxiliary loss of the first step (do not get worse).
   */
  epsilon: z.union([z.number().positive(), z.array(z.number().positive())]).optional(),
  /** Step size of the multiplier update (the reference's mu_selection). */
  mu: z.number().positive().default(10),
  /**
   * The auxiliary multipliers before the first step. Default 0, as DeepMTL2R's driver (it passes task
   * weights [1, 0, ...]); 1 is the reference class's own default when no task weights are given.
   */
  initialMultiplier: z.number().nonnegative().default(0),
  /**
   * 'deepmtl2r': DeepMTL2R's tie rule: an auxiliary loss exactly at its bound keeps its previous multiplier
   * (the reference zeroes only L_i < eps_i); by default a loss at its bound counts as satisfied (0).
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type EcOptions = z.infer<typeof ecOptions>;

/** Where the options sit in a training config, for error messages (the registry adds the same prefix). */
const OPTIONS_PATH = 'strategy.options';

interface EcState {
  /** The auxiliary weights of the last step (after normalisation), in auxiliary order. */
  auxiliaryWeights: number[];
  /** The thresholds in use; recorded when they came from the first step's losses. */
  epsilon: number[] | null;
}

function readState(state: Json, auxiliaryCount: number): EcState {
  const s = state as { auxiliaryWeights?: unknown; epsilon?: unknown } | null;
  const isList = (v: unknown, check: (x: number) => boolean) =>
    Array.isArray(v) && v.length === auxiliaryCount && v.every((x) => typeof x === 'number' && check(x));
  const weightsOk = isList(s?.auxiliaryWeights, (x) => Number.isFinite(x) && x >= 0);
  const epsilonOk = s?.epsilon === null || isList(s?.epsilon, (x) => Number.isFinite(x) && x > 0);
  if (!weightsOk || !epsilonOk) {
    throw new UserError(
      `ec: cannot resume from strategy state ${JSON.stringify(state)}; expected { "auxiliaryWeights": [${auxiliaryCount} numbers >= 0], "epsilon": null or [${auxiliaryCount} numbers > 0] }`,
      {
        hint: 'the checkpoint was not written by @mtl2r/strategy-ec for this number of tasks, or it was edited',
      },
    );
  }
  return {
    auxiliaryWeights: s?.auxiliaryWeights as number[],
    epsilon: (s?.epsilon ?? null) as number[] | null,
  };
}

/** The configured thresholds for the auxiliary tasks, checked against the task count. */
function configuredEpsilon(
  epsilon: EcOptions['epsilon'],
  auxiliaryNames: readonly string[],
): number[] | undefined {
  if (epsilon === undefined) return undefined;
  if (typeof epsilon === 'number') return auxiliaryNames.map(() => epsilon);
  if (epsilon.length !== auxiliaryNames.length) {
    throw new ConfigError("invalid options for strategy 'ec'", [
      {
        path: `${OPTIONS_PATH}.epsilon`,
        message: `expected ${auxiliaryNames.length} numbers, one per auxiliary task (${auxiliaryNames.join(', ') || 'none'}), got ${epsilon.length}`,
      },
    ]);
  }
  return epsilon.slice();
}

/**
 * Epsilon-constraint (Momma, Dong & Liu 2022; as in DeepMTL2R): minimise the main task's loss subject to
 * L_i <= eps_i for each auxiliary task. Each step the main task has weight 1; an auxiliary task whose
 * constraint is violated has its weight (a Lagrange multiplier) grow by mu (L_i / eps_i - 1) from its
 * previous value, and a satisfied one drops to 0. The K weights are then normalised to sum 1, and the
 * normalised auxiliary weights are what the next step grows from.
 */
export const ecPlugin = defineStrategy<EcOptions>({
  id: 'ec',
  contractVersion: CONTRACT_VERSION,
  family: 'scalarization',
  paretoFront: false,
  needs: { grads: 'none' },
  weightsSumToOne: true,
  description: 'Epsilon-constraint: main task loss with multipliers on violated auxiliary-loss bounds',
  packageName: packageJson.name,
  options: ecOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    const main = options.mainTask;
    if (main >= taskCount) {
      throw new ConfigError("invalid options for strategy 'ec'", [
        {
          path: `${OPTIONS_PATH}.mainTask`,
          message: `expected a task index in [0, ${taskCount - 1}] (tasks: ${context.taskNames.join(', ')}), got ${main}`,
        },
      ]);
    }
    const auxiliaryTasks = Array.from({ length: taskCount }, (_, i) => i).filter((i) => i !== main);
    const auxiliaryNames = auxiliaryTasks.map((i) => context.taskNames[i] ?? `task${i}`);
    const fixedEpsilon = configuredEpsilon(options.epsilon, auxiliaryNames);
    let epsilon = fixedEpsilon;
    let auxiliaryWeights = auxiliaryTasks.map(() => options.initialMultiplier);
    const keepsAtBound = options.compat === 'deepmtl2r';
    return {
      needs: { grads: 'none' },
      combine({ step, losses }) {
        if (epsilon === undefined)
          epsilon = firstLossesAsEpsilon(losses, auxiliaryTasks, auxiliaryNames, step);
        const bounds = epsilon;
        const raw = auxiliaryTasks.map((task, a) => {
          const ratio = (losses[task] as number) / (bounds[a] as number);
          const violated = ratio > 1 || (keepsAtBound && ratio === 1);
          return violated ? (auxiliaryWeights[a] as number) + options.mu * (ratio - 1) : 0;
        });
        const unnormalised = new Array<number>(taskCount).fill(0);
        unnormalised[main] = 1; // keeps the total >= 1, so the normalisation never divides by 0
        auxiliaryTasks.forEach((task, a) => {
          unnormalised[task] = raw[a] as number;
        });
        const weights = Array.from(normaliseToSimplex(unnormalised));
        auxiliaryWeights = auxiliaryTasks.map((task) => weights[task] as number);
        return { weights };
      },
      state: (): Json => ({
        auxiliaryWeights: auxiliaryWeights.slice(),
        epsilon: fixedEpsilon === undefined && epsilon !== undefined ? epsilon.slice() : null,
      }),
      loadState(state) {
        const loaded = readState(state, auxiliaryTasks.length);
        auxiliaryWeights = loaded.auxiliaryWeights.slice();
        epsilon = fixedEpsilon ?? loaded.epsilon?.slice();
      },
      dispose: () => {},
    };
  },
});

/** Default thresholds: the auxiliary losses of the first step (the constraint "do not get worse"). */
function firstLossesAsEpsilon(
  losses: Float32Array,
  auxiliaryTasks: readonly number[],
  auxiliaryNames: readonly string[],
  step: number,
): number[] {
  return auxiliaryTasks.map((task, a) => {
    const loss = losses[task] as number;
    if (!(loss > 0) || !Number.isFinite(loss)) {
      throw new UserError(
        `ec: without strategy.options.epsilon the bound of task '${auxiliaryNames[a]}' is its first loss, but that is ${loss} (step ${step}); a bound must be > 0`,
        { hint: 'set strategy.options.epsilon to one positive bound per auxiliary task' },
      );
    }
    return loss;
  });
}
