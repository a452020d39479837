import { CONTRACT_VERSION, defineStrategy, preferenceWeights, type Strategy } from '@mtl2r/core';
import { argmax, chebyshevDeviations, chebyshevIdeal, oneHot } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const wcOptions = z.strictObject({
  /** Ideal point z*: the deviations are r_i (L_i - z_i). Default 0 for every task (as DeepMTL2R). */
  ideal: z.array(z.number()).min(1).optional(),
  /**
   * 'deepmtl2r': DeepMTL2R's code: the preference as written (all 1s when none is given), the weighted
   * losses compared in float32, and weight 1 on every task that ties for the maximum (not only the first).
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type WcOptions = z.infer<typeof wcOptions>;

/** 1 on every entry equal to the maximum, 0 elsewhere (DeepMTL2R's rule, which can select several tasks). */
function tiedForMaximum(values: readonly number[]): number[] {
  const maximum = Math.max(...values);
  return values.map((value) => (value === maximum ? 1 : 0));
}

/**
 * Weighted Chebyshev (Tchebycheff) scalarization: minimise max_i r_i (L_i - z_i). Its (sub)gradient
 * follows the task with the largest weighted deviation, so the weights are 1 on that task and 0
 * elsewhere; ties go to the lowest task index so a run is reproducible. Sweeping r reaches every
 * (weakly) Pareto-optimal point, non-convex parts of the front included.
 */
export const wcPlugin = defineStrategy<WcOptions>({
  id: 'wc',
  contractVersion: CONTRACT_VERSION,
  family: 'scalarization',
  paretoFront: true,
  needs: { grads: 'none', preference: true },
  // Not declared weightsSumToOne: under compat 'deepmtl2r' tied tasks all get weight 1.
  description: 'Weighted Chebyshev scalarization: follow the task with the largest preference-weighted loss',
  packageName: packageJson.name,
  options: wcOptions,
  create(options, context): Strategy {
    const taskCount = context.taskCount;
    const compat = options.compat === 'deepmtl2r';
    const preference = preferenceWeights(context, options.compat);
    const ideal = chebyshevIdeal(options.ideal, taskCount, 'wc');
    return {
      needs: { grads: 'none', preference: true },
      combine({ step, losses }) {
        const weighted = chebyshevDeviations(losses, {
          preference,
          ideal,
          strategyId: 'wc',
          method: 'weighted Chebyshev',
          taskNames: context.taskNames,
          step,
        });
        // DeepMTL2R compares the float32 products, where near-ties can become exact ties.
        const deviations = compat ? weighted.map(Math.fround) : weighted;
        if (compat)
          return { weights: tiedForMaximum(deviations), diagnostics: { active_task: argmax(deviations) } };
        // argmax gives ties to the lowest index, so the active task is reproducible.
        const active = argmax(deviations);
        return { weights: Array.from(oneHot(taskCount, active)), diagnostics: { active_task: active } };
      },
      state: () => null, // stateless: the weights depend only on this step's losses
      loadState: () => {},
      dispose: () => {},
    };
  },
});
