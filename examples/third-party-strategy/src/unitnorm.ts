import { CONTRACT_VERSION, defineStrategy, PluginError, type Strategy } from '@mtl2r/core';
import { z } from 'zod';

const options = z.strictObject({
  /** Where task gradients are taken: all shared parameters, or the encoder output (cheaper). */
  space: z.enum(['shared', 'representation']).default('representation'),
  /** Added to each gradient norm so a zero gradient gets a large but finite weight. */
  epsilon: z.number().positive().default(1e-8),
});

/**
 * Unit-norm averaging: weights w_k = (1 / ||g_k||) / sum_j (1 / ||g_j||), so every task pulls the shared
 * parameters with the same strength whatever the scale of its loss. The norms come from the diagonal of the
 * K x K Gram matrix the trainer hands to `combine`, so the plugin never touches [P]-sized data.
 */
export function unitNormWeights(gram: ArrayLike<number>, taskCount: number, epsilon: number): number[] {
  const inverse = Array.from(
    { length: taskCount },
    (_, k) => 1 / (Math.sqrt(Math.max(0, gram[k * taskCount + k] as number)) + epsilon),
  );
  const total = inverse.reduce((a, b) => a + b, 0);
  return inverse.map((v) => v / total);
}

export const unitNorm = defineStrategy({
  id: 'unitnorm',
  contractVersion: CONTRACT_VERSION,
  family: 'gradient',
  paretoFront: false,
  needs: { grads: ['representation', 'shared'] },
  weightsSumToOne: true,
  description: 'every task gradient scaled to unit norm, then averaged (example third-party plugin)',
  packageName: 'mtl2r-strategy-unitnorm',
  options,
  create(opts, ctx): Strategy {
    let steps = 0;
    return {
      needs: { grads: opts.space },
      combine({ gram }) {
        if (gram === undefined) throw new PluginError('unitnorm needs the Gram matrix of the task gradients');
        steps++;
        return { weights: unitNormWeights(gram, ctx.taskCount, opts.epsilon) };
      },
      // Stateless apart from a step count, kept to show what state()/loadState() look like.
      state: () => ({ steps }),
      loadState(state) {
        const saved = (state as { steps?: unknown } | null)?.steps;
        if (typeof saved !== 'number') {
          throw new PluginError(`unitnorm: cannot resume from state ${JSON.stringify(state)}`);
        }
        steps = saved;
      },
      dispose() {},
    };
  },
});
