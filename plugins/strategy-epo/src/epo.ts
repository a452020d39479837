import {
  CONTRACT_VERSION,
  type CombineOutput,
  defineStrategy,
  preferenceWeights,
  requireGram,
  type Strategy,
  UserError,
} from '@mtl2r/core';
import { type EpoMode, epoDeepMtl2rWeights, epoWeights } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const epoOptions = z.strictObject({
  /** Non-uniformity threshold: balance toward the preference ray while mu(r * L) > epsilon, then descend. */
  epsilon: z.number().nonnegative().default(1e-4),
  /** 'shared': gradients of all shared parameters; 'representation': of the encoder output (cheaper). */
  gradientSpace: z.enum(['shared', 'representation']).default('shared'),
  /**
   * 'deepmtl2r': DeepMTL2R's `epo_qp_get_alpha` instead of the paper's linear programs (a least-squares
   * QP toward an anchor, the sine of the angle to the ray against 0.01; see the README).
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type EpoPluginOptions = z.infer<typeof epoOptions>;

/** Logged as `epo_mode`: which linear program gave the weights. */
const modeCode: Record<EpoMode, number> = {
  descent: 0,
  balance: 1,
  'relaxed-descent': 2,
  'min-norm': 3,
};

/**
 * EPO (Mahapatra & Rajan 2020, 2021): moves toward the point of the Pareto front where r_i L_i are all
 * equal (the preference ray), then descends along the front. Each step is one small linear program on
 * the K x K Gram matrix, solved exactly by `epoWeights` (see @mtl2r/solvers).
 */
export const epoPlugin = defineStrategy<EpoPluginOptions>({
  id: 'epo',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: true,
  needs: { grads: ['shared', 'representation'], preference: true },
  weightsSumToOne: true,
  description:
    'EPO: exact Pareto optimal search toward the preference ray (balance, then descent; exact LPs)',
  packageName: packageJson.name,
  options: epoOptions,
  create(options, context): Strategy {
    const space = options.gradientSpace;
    const compat = options.compat === 'deepmtl2r';
    // Under compat the preference as the config wrote it (DeepMTL2R's task_weights, all 1s when absent); the
    // method is invariant to its scale, so this changes nothing but says what is reproduced.
    const preference = preferenceWeights(context, options.compat);
    return {
      // The paper's non-uniformity takes ln(r_i L_i / sum r L): losses must be > 0. DeepMTL2R's variant does not.
      needs: { grads: space, preference: true, positiveLosses: !compat },
      combine(input): CombineOutput {
        const { step, losses } = input;
        const gram = requireGram(input, 'epo', space);
        if (compat) {
          const result = epoDeepMtl2rWeights(gram, losses, preference);
          return {
            weights: result.alpha,
            diagnostics: { balancing: result.balancing ? 1 : 0, ray_sine: result.sine },
          };
        }
        losses.forEach((loss, i) => {
          if (!(loss > 0) || !Number.isFinite(loss)) {
            throw new UserError(
              `epo: task '${context.taskNames[i] ?? i}' has loss ${loss} at step ${step}; EPO's non-uniformity takes ln(r_i L_i), so every loss must be > 0`,
              {
                hint: "use a loss that is always > 0 (listNet, rankNet, lambdaLoss, ...), or strategy.options.compat 'deepmtl2r'",
              },
            );
          }
        });
        const result = epoWeights(gram, losses, preference, { epsilon: options.epsilon });
        return {
          weights: result.alpha,
          diagnostics: { epo_mode: modeCode[result.mode], non_uniformity: result.nonUniformity },
        };
      },
      // Stateless: each step's LP is solved from scratch, so a resumed run is identical.
      state: () => null,
      loadState: () => {},
      dispose: () => {},
    };
  },
});
