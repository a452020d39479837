import { CONTRACT_VERSION, defineStrategy, type Strategy, UserError } from '@mtl2r/core';
import { softmax } from '@mtl2r/solvers';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { LogitAdam } from './logit-adam.js';

export const famoOptions = z.strictObject({
  /** Step size of the logit optimizer (the paper's beta, the official code's w_lr). */
  learningRate: z.number().positive().max(1e3).default(0.025),
  /** Regularisation of the logits, Adam's L2 weight decay (the paper's gamma; the official code's default). */
  weightDecay: z.number().nonnegative().max(1e3).default(0.01),
  /**
   * 'deepmtl2r': as DeepMTL2R's training loop, which never calls FAMO's update: the logits stay at 0, so the
   * weights are (1 / L_i) / sum_j (1 / L_j) every step, and the losses after the update are not needed.
   */
  compat: z.enum(['deepmtl2r']).optional(),
});
export type FamoOptions = z.infer<typeof famoOptions>;

/** Added to every loss before its logarithm, as the reference (with minimum losses 0). */
const LOSS_EPSILON = 1e-8;

function logLosses(losses: Float32Array, what: string, step: number): Float64Array {
  const out = Float64Array.from(losses, (loss) => Math.log(loss + LOSS_EPSILON));
  if (!out.every(Number.isFinite)) {
    throw new UserError(
      `famo: step ${step}: ${what} must be > 0 (FAMO takes their logarithms), got [${Array.from(losses).join(', ')}]`,
    );
  }
  return out;
}

/**
 * FAMO (Liu, Feng, Stone, Liu 2023, "FAMO: Fast Adaptive Multitask Optimization"): the shared update follows
 * sum_i c z_i grad log L_i with z = softmax(logits) and c = 1 / sum_i (z_i / L_i), i.e. loss weights
 * w_i = (z_i / L_i) / sum_j (z_j / L_j), which sum to 1. After the optimizer step the same batch is
 * re-evaluated, and the logits take one Adam step along J_softmax^T delta with delta_i = log L_i(before) -
 * log L_i(after): tasks that improved less gain weight. O(K) per step; no per-task gradients.
 */
export const famoPlugin = defineStrategy<FamoOptions>({
  id: 'famo',
  contractVersion: CONTRACT_VERSION,
  family: 'weighting',
  paretoFront: false,
  needs: { grads: 'none', positiveLosses: true, lossesAfterUpdate: true },
  weightsSumToOne: true,
  description: 'FAMO: loss weights softmax(logits) / L_i, logits learned from the change in log-losses',
  packageName: packageJson.name,
  options: famoOptions,
  create(options, context): Strategy {
    const frozen = options.compat === 'deepmtl2r';
    const optimizer = new LogitAdam(context.taskCount, {
      learningRate: options.learningRate,
      weightDecay: options.weightDecay,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
    });
    return {
      needs: { grads: 'none', positiveLosses: true, lossesAfterUpdate: !frozen },
      combine({ step, losses }) {
        logLosses(losses, 'the losses', step); // the same check the update makes, one step earlier
        const z = softmax(optimizer.logits);
        const ratios = Array.from(z, (zi, i) => zi / ((losses[i] as number) + LOSS_EPSILON));
        const total = ratios.reduce((a, b) => a + b, 0);
        const diagnostics: Record<string, number> = {};
        optimizer.logits.forEach((logit, i) => {
          diagnostics[`famo_logit(${context.taskNames[i]})`] = logit;
        });
        return { weights: ratios.map((r) => r / total), diagnostics };
      },
      afterUpdate({ step, lossesBefore, lossesAfter }) {
        if (frozen) return;
        if (lossesAfter === undefined) {
          throw new UserError(
            'famo needs the losses of the same batch after the update (needs.lossesAfterUpdate); the trainer gave none',
          );
        }
        const before = logLosses(lossesBefore, 'the losses', step);
        const after = logLosses(lossesAfter, 'the losses after the update', step);
        const z = softmax(optimizer.logits);
        const delta = Array.from(before, (b, i) => b - (after[i] as number));
        // d/d logits of z . delta: J^T delta with J_ij = z_i (1[i = j] - z_j).
        const mean = delta.reduce((sum, d, i) => sum + d * (z[i] as number), 0);
        optimizer.step(delta.map((d, j) => (z[j] as number) * (d - mean)));
      },
      state: () => optimizer.state(),
      loadState(state) {
        optimizer.loadState(state, packageJson.name);
      },
      dispose: () => {},
    };
  },
});
