import { UserError } from '@mtl2r/core';
import { type GramInput, readGram } from './gram-input.js';

export interface LogLossSpaceOptions {
  /** Added to every loss before the logarithm (DeepMTL2R's log variants use 1e-8 or 0); default 0. */
  epsilon?: number;
  /** For the error message: the method, the task names and the step. */
  method?: string;
  taskNames?: readonly string[];
  step?: number;
}

export interface LogLossSpace {
  /** Gram matrix of the gradients of ln(L_i + eps): M_ij / ((L_i + eps) (L_j + eps)). */
  gram: Float64Array;
  /** Maps coefficients on the log-loss gradients back to the task gradients: w_i / (L_i + eps). */
  toLossWeights(weights: ArrayLike<number>): Float64Array;
}

/**
 * The "log" variants of the gradient methods (log_mgda, log_cagrad, log_imtl) run the base method on the
 * gradients of ln L_i, which are g_i / L_i. Everything the base methods need is the Gram matrix, so the
 * transform is a rescaling of M, and since sum_i w_i (g_i / L_i) = sum_i (w_i / L_i) g_i the weights map back
 * by the same divisors. A loss <= 0 has no logarithm: refused with the task and step.
 */
export function logLossSpace(
  gram: GramInput,
  losses: ArrayLike<number>,
  options: LogLossSpaceOptions = {},
): LogLossSpace {
  const { gram: matrix, size } = readGram(gram, 'logLossSpace: Gram matrix');
  const epsilon = options.epsilon ?? 0;
  if (losses.length !== size) {
    throw new RangeError(`logLossSpace: ${losses.length} losses for a ${size} x ${size} Gram matrix`);
  }
  const divisors = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const shifted = (losses[i] as number) + epsilon;
    if (!(shifted > 0) || !Number.isFinite(shifted)) {
      const method = options.method ?? 'logLossSpace';
      const task = options.taskNames?.[i] ?? String(i);
      const step = options.step === undefined ? '' : ` at step ${options.step}`;
      throw new UserError(
        `${method}: works on ln L_i and needs every loss > 0, but task '${task}' has loss ${losses[i]}${step}`,
        {
          hint: 'use a ranking loss that is always > 0 (listNet, rankNet, lambdaLoss, ...) or the base method',
        },
      );
    }
    divisors[i] = shifted;
  }
  const scaled = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      scaled[i * size + j] =
        (matrix[i * size + j] as number) / ((divisors[i] as number) * (divisors[j] as number));
    }
  }
  return {
    gram: scaled,
    toLossWeights(weights) {
      if (weights.length !== size) {
        throw new RangeError(`logLossSpace: ${weights.length} weights for ${size} tasks`);
      }
      return Float64Array.from({ length: size }, (_, i) => (weights[i] as number) / (divisors[i] as number));
    },
  };
}
