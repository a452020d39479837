import { UserError } from '@mtl2r/core';
import { gramNorms } from '@mtl2r/solvers';

export type Normalization = 'none' | 'l2' | 'loss' | 'loss+';

/**
 * The divisor n_i of each task gradient before the min-norm problem, as `gradient_normalizers` of the
 * MGDA reference code: 1, ||g_i||, L_i or L_i ||g_i||. Norms come from the Gram diagonal.
 *
 * A zero gradient norm gives n_i = 1 instead of a division by zero: the zero gradient stays zero, so the
 * min-norm point is 0 (the task is stationary) rather than NaN. A loss-based divisor needs L_i > 0: a loss
 * <= 0 would flip or blow up its gradient, so it is refused with the task and step.
 */
export function gradientNormalizers(
  gram: Float64Array,
  losses: ArrayLike<number>,
  normalization: Normalization,
  taskNames: readonly string[],
  step: number,
): Float64Array {
  const norms = gramNorms(gram);
  const taskCount = norms.length;
  if (normalization === 'none') return new Float64Array(taskCount).fill(1);
  const divisors = new Float64Array(taskCount);
  for (let i = 0; i < taskCount; i++) {
    const norm = norms[i] as number;
    if (normalization === 'l2') {
      divisors[i] = norm > 0 ? norm : 1;
      continue;
    }
    const loss = losses[i] as number;
    if (!(loss > 0) || !Number.isFinite(loss)) {
      throw new UserError(
        `mgda: normalization '${normalization}' divides task '${taskNames[i] ?? i}''s gradient by its loss, but the loss is ${loss} at step ${step}`,
        {
          hint: "use strategy.options.normalization 'l2' or 'none', or a loss that is always > 0 (listNet, rankNet, lambdaLoss, ...)",
        },
      );
    }
    const divisor = normalization === 'loss' ? loss : loss * norm;
    divisors[i] = divisor > 0 ? divisor : 1;
  }
  return divisors;
}
