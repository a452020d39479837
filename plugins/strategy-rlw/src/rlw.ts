import {
  CONTRACT_VERSION,
  defineStrategy,
  type Json,
  type Rng,
  rngFromSavedWords,
  type Strategy,
} from '@mtl2r/core';
import { softmax } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };

export const rlwOptions = z.strictObject({
  /** Distribution of the logits z: standard normal N(0, I) (default, as the paper and DeepMTL2R) or U(0, 1). */
  distribution: z.enum(['normal', 'uniform']).default('normal'),
});
export type RlwOptions = z.infer<typeof rlwOptions>;

function readRngState(state: Json): Rng {
  return rngFromSavedWords((state as { rng?: unknown } | null)?.rng, '@mtl2r/strategy-rlw');
}

/**
 * Random loss weighting (Lin et al. 2022): each step draws logits z from the strategy's own seeded
 * stream and weights the losses by softmax(z). The weights ignore the losses; their expectation is
 * uniform. The stream's state is the whole strategy state, so a resumed run draws the same weights.
 */
export const rlwPlugin = defineStrategy<RlwOptions>({
  id: 'rlw',
  contractVersion: CONTRACT_VERSION,
  family: 'weighting',
  paretoFront: false,
  needs: { grads: 'none' },
  weightsSumToOne: true,
  description: 'Random loss weighting: softmax of random logits drawn each step',
  packageName: packageJson.name,
  options: rlwOptions,
  create(options, context): Strategy {
    let rng = context.rng;
    const draw = options.distribution === 'normal' ? () => rng.normal() : () => rng.float();
    return {
      needs: { grads: 'none' },
      combine() {
        const logits = Array.from({ length: context.taskCount }, draw);
        return { weights: Array.from(softmax(logits)) };
      },
      state: (): Json => ({ rng: rng.state().s }),
      loadState(state) {
        rng = readRngState(state);
      },
      dispose: () => {},
    };
  },
});
