import { UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import type { RankerConfig } from './config.js';
import type { VariableStore } from './variable-store.js';

/**
 * Preference conditioning (Pareto-front learning, COSMOS): the preference r (K numbers on the simplex) is
 * appended to every item's input features. Appending r to x before Linear(F + K -> d) equals
 * `x W + b + r W_r`, so the ranker keeps its input projection untouched and adds one [K, d] matrix W_r:
 * a model without conditioning has exactly the parameters and numbers it always had.
 */
export type ConditioningKind = NonNullable<RankerConfig['conditioning']>;

/** Stable name of W_r, the [K, d] matrix that carries the preference into the input projection. */
export const PREFERENCE_INPUT_WEIGHT = 'input.preference.weight';

/** Creates W_r when the config asks for conditioning (Xavier-uniform, shared, block -1); else undefined. */
export function createConditioningWeight(
  store: VariableStore,
  config: RankerConfig,
): tf.Variable | undefined {
  if (config.conditioning === undefined) return undefined;
  return store.matrix(PREFERENCE_INPUT_WEIGHT, -1, 'shared', config.taskCount, config.modelDim);
}

/**
 * Checks a preference for a ranker and returns it normalised to sum 1. A conditioned ranker needs one
 * (K finite, non-negative numbers, not all zero); an unconditioned one refuses one, so a caller never
 * believes a slider changed scores that cannot change.
 */
export function checkPreference(
  preference: readonly number[] | undefined,
  config: RankerConfig,
  where: string,
): number[] | undefined {
  const k = config.taskCount;
  if (config.conditioning === undefined) {
    if (preference === undefined) return undefined;
    throw new UserError(
      `${where}: this ranker is not conditioned on a preference (it was trained without model.conditioning), so a preference cannot change its scores: omit the preference, or train with model.conditioning: input and strategy pfl`,
    );
  }
  if (preference === undefined) {
    throw new UserError(
      `${where}: this ranker is conditioned on a preference: give one (${k} non-negative numbers, one per task, e.g. ${Array.from({ length: k }, () => (1 / k).toFixed(2)).join(',')})`,
    );
  }
  if (preference.length !== k) {
    throw new UserError(
      `${where}: the preference has ${preference.length} numbers, but the ranker has ${k} tasks: give one number per task`,
    );
  }
  const bad = preference.findIndex((v) => !Number.isFinite(v) || v < 0);
  if (bad >= 0) {
    throw new UserError(`${where}: preference[${bad}] is ${preference[bad]}; expected a finite number >= 0`);
  }
  const total = preference.reduce((a, b) => a + b, 0);
  if (total <= 0)
    throw new UserError(`${where}: the preference is all zeros; expected at least one positive number`);
  return preference.map((v) => v / total);
}

/** r W_r [d]: the shift every item's input projection receives (differentiable in W_r). */
export function preferenceInputShift(weight: tf.Variable, preference: readonly number[]): tf.Tensor1D {
  return tf.tidy(() =>
    tf.reshape(
      tf.matMul(tf.tensor2d(Float32Array.from(preference), [1, preference.length]), weight as tf.Tensor2D),
      [-1],
    ),
  ) as tf.Tensor1D;
}
