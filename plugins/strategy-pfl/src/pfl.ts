import {
  CONTRACT_VERSION,
  defineStrategy,
  type Json,
  type Rng,
  rngFromSavedWords,
  type Strategy,
  sampleDirichlet,
} from '@mtl2r/core';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { cosine, cosmosWeights } from './cosmos-weights.js';

export const pflOptions = z.strictObject({
  /** Dirichlet concentration of the preferences drawn each step: 1 is uniform on the simplex, < 1 favours its corners. */
  alpha: z.number().positive().default(1.2),
  /** Weight of the cosine term that pulls the loss vector towards the drawn preference ray (0: plain LS on random rays). */
  lambda: z.number().nonnegative().default(2),
});
export type PflOptions = z.infer<typeof pflOptions>;

const NEEDS = { grads: 'none', conditionsModel: true } as const;

/**
 * Pareto-front learning, COSMOS-style (Ruchte and Grabocka 2021): each step draws a preference
 * r ~ Dirichlet(alpha) from the strategy's own stream, the trainer runs the conditioned model on r, and
 * the K losses are weighted by the gradient of sum_i r_i L_i - lambda cos(r, L). One model then serves
 * every trade-off: predict with any preference.
 */
export const pflPlugin = defineStrategy<PflOptions>({
  id: 'pfl',
  contractVersion: CONTRACT_VERSION,
  family: 'scalarization',
  paretoFront: true,
  needs: NEEDS,
  description: 'Pareto-front learning (COSMOS): one preference-conditioned model for every trade-off',
  packageName: packageJson.name,
  options: pflOptions,
  create(options, context): Strategy {
    let rng = context.rng;
    // The preference drawn for a step; combine uses it (or draws one, when called without conditioning).
    let current: { step: number; preference: number[] } | undefined;
    const draw = (step: number): number[] => {
      const preference = sampleDirichlet(rng, options.alpha, context.taskCount);
      current = { step, preference };
      return preference;
    };
    return {
      needs: NEEDS,
      conditioning: ({ step }) => draw(step),
      combine({ step, losses }) {
        const preference = current?.step === step ? current.preference : draw(step);
        const diagnostics: Record<string, number> = { 'cos(r,L)': cosine(preference, losses) };
        preference.forEach((r, i) => {
          diagnostics[`r:${context.taskNames[i]}`] = r;
        });
        return { weights: cosmosWeights(preference, losses, options.lambda), diagnostics };
      },
      // Checkpoints fall between steps, so the stream alone continues identically.
      state: (): Json => ({ rng: rng.state().s }),
      loadState(state) {
        rng = readRngState(state);
        current = undefined;
      },
      dispose: () => {},
    };
  },
});

function readRngState(state: Json): Rng {
  return rngFromSavedWords((state as { rng?: unknown } | null)?.rng, '@mtl2r/strategy-pfl');
}
