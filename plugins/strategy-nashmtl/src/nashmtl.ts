import {
  CONTRACT_VERSION,
  defineStrategy,
  type Json,
  requireGradients,
  type Strategy,
  type StrategyContext,
  UserError,
} from '@mtl2r/core';
import { clippedCombination, type NashResult, nashWeights } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const nashmtlOptions = z.strictObject({
  /** Solve for alpha every N steps and reuse the last alpha in between (the paper's `update_weights_every`). */
  updateWeightsEvery: z.number().int().positive().max(1_000_000).default(1),
  /**
   * Norm clip of the shared parameters' combined gradient (the paper's code: `max_norm`, 1); 0 disables it.
   * The clip covers the shared parameters only, so the plugin returns the clipped direction.
   */
  maxNorm: z.number().nonnegative().max(1e12).default(1),
  /** Newton iteration cap of the bargaining solver (at most 6 cold, 3 warm-started on random cases). */
  maxIterations: z.number().int().positive().max(100_000).default(100),
  /** Solved when max_i |alpha_i (G G^T alpha)_i - 1| <= tolerance (a relative residual: the target is 1). */
  tolerance: z.number().positive().max(0.1).default(1e-6),
  /**
   * 'deepmtl2r': DeepMTL2R's combined gradient. Its NashMTL clips the shared gradients before they are
   * computed (a no-op), so the update is sum_i alpha_i g_i unclipped; `maxNorm` is ignored.
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type NashmtlOptions = z.infer<typeof nashmtlOptions>;

const STATUS_CODE: Readonly<Record<NashResult['status'], number>> = {
  solved: 0,
  'not-converged': 1,
  'pareto-stationary': 2,
};

function readAlpha(state: Json, taskCount: number): Float64Array | undefined {
  const alpha = (state as { alpha?: unknown } | null)?.alpha;
  if (alpha === null) return undefined;
  if (
    !Array.isArray(alpha) ||
    alpha.length !== taskCount ||
    !alpha.every((value) => typeof value === 'number' && Number.isFinite(value) && value >= 0)
  ) {
    throw new UserError(
      `${packageJson.name}: cannot resume from saved state ${JSON.stringify(state)}: expected { alpha: null or ${taskCount} finite numbers >= 0 }`,
    );
  }
  return Float64Array.from(alpha as number[]);
}

/**
 * Solves this step's bargaining problem from the previous alpha. It never falls back silently: when the
 * solver stops short, the step uses the best positive iterate and a record goes to the metrics log; at a
 * Pareto-stationary point (no positive solution exists) it uses the min-norm (MGDA) weights and says so.
 */
function solveStep(
  gram: Float64Array,
  previous: Float64Array | undefined,
  options: NashmtlOptions,
  context: StrategyContext,
  at: { step: number; epoch: number },
): NashResult {
  const settings = { maxIterations: options.maxIterations, tolerance: options.tolerance };
  let result = nashWeights(gram, previous === undefined ? settings : { ...settings, init: previous });
  if (result.status === 'pareto-stationary' && previous !== undefined) {
    result = nashWeights(gram, settings); // the min-norm weights rather than last step's alpha
  }
  if (result.status !== 'solved') {
    const stopped = result.status === 'not-converged';
    context.log.write({
      // the residual the step settled for, or 1 (a flag) when no positive solution exists
      metric: stopped ? 'nash_not_converged' : 'nash_pareto_stationary',
      value: stopped ? result.residual : 1,
      step: at.step,
      epoch: at.epoch,
    });
  }
  return result;
}

/**
 * Nash-MTL (Navon et al. 2022): the update d = sum_i alpha_i g_i with alpha > 0 the Nash bargaining solution,
 * alpha_i (G G^T alpha)_i = 1, i.e. every task improves by g_i . d = 1 / alpha_i. Solved on the K x K Gram
 * matrix by our damped-Newton solver (@mtl2r/solvers nashWeights) instead of the paper's cvxpy sequence,
 * warm-started from the previous alpha (kept in `state()`).
 */
export const nashmtlPlugin = defineStrategy<NashmtlOptions>({
  id: 'nashmtl',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: 'shared' },
  description: 'Nash-MTL: weights from the Nash bargaining solution alpha_i (G G^T alpha)_i = 1',
  packageName: packageJson.name,
  options: nashmtlOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    const maxNorm = options.compat === 'deepmtl2r' ? 0 : options.maxNorm;
    let alpha: Float64Array | undefined;
    return {
      needs: { grads: 'shared' },
      combine(input) {
        const { step, epoch } = input;
        const { grads, gram } = requireGradients(input, 'nashmtl', 'shared');
        let weights = alpha;
        const diagnostics: Record<string, number> = {};
        if (weights === undefined || step % options.updateWeightsEvery === 0) {
          const result = solveStep(gram, alpha, options, context, { step, epoch });
          weights = result.weights;
          // A Pareto-stationary step's min-norm weights are no warm start for the next problem.
          if (result.status !== 'pareto-stationary') alpha = result.weights;
          diagnostics.nash_status = STATUS_CODE[result.status];
          if (Number.isFinite(result.residual)) diagnostics.nash_residual = result.residual;
          diagnostics.nash_iterations = result.iterations;
        }
        if (maxNorm === 0) return { weights: Array.from(weights), diagnostics };
        const combination = clippedCombination(grads, weights, gram, maxNorm);
        diagnostics.clip_scale = combination.scale;
        return { weights: Array.from(weights), direction: combination.direction, diagnostics };
      },
      state: (): Json => ({ alpha: alpha === undefined ? null : Array.from(alpha) }),
      loadState(state) {
        alpha = readAlpha(state, taskCount);
      },
      dispose: () => {},
    };
  },
});
