import type { CombineInput, GradientSpace } from './contract.js';
import { UserError } from './errors.js';

type DeclaredSpace = Exclude<GradientSpace, 'none'>;

function missing(strategyId: string, space: DeclaredSpace): UserError {
  const what =
    space === 'shared' ? 'the per-task gradients of the shared parameters' : 'the per-task gradients';
  return new UserError(`${strategyId} needs ${what} (needs.grads = ${space})`);
}

/**
 * The K x K Gram matrix of a combine input, for a strategy that declared `needs.grads` and works on the
 * Gram matrix alone. The trainer and the testkit always provide it then; the error is for a caller that
 * drives `combine` by hand without it.
 */
export function requireGram(
  input: Pick<CombineInput, 'gram'>,
  strategyId: string,
  space: DeclaredSpace,
): Float64Array {
  const { gram } = input;
  if (gram === undefined) throw missing(strategyId, space);
  return gram;
}

/** The task gradients and their Gram matrix, for a strategy that also combines the gradients itself. */
export function requireGradients(
  input: Pick<CombineInput, 'grads' | 'gram'>,
  strategyId: string,
  space: DeclaredSpace,
): { grads: NonNullable<CombineInput['grads']>; gram: Float64Array } {
  const { grads } = input;
  if (grads === undefined) throw missing(strategyId, space);
  return { grads, gram: requireGram(input, strategyId, space) };
}
