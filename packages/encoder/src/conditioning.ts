import { UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import type { RankerConfig } from './config.js';
import type { VariableStore } from './variable-store.js';

/**
 * Preference conditioning (Pareto-front learning): the preference r (K numbers on the simplex) enters the
 * encoder in one of two ways, and a model without conditioning has exactly the parameters and numbers it
 * always had.
 * - `input` (COSMOS): r appended to every item's input features. Appending r to x before
 *   Linear(F + K -> d) equals `x W + b + r W_r`, so the input projection stays and one [K, d] matrix W_r
 *   is added.
 * - `film` (feature-wise linear modulation): after block l the residual stream becomes
 *   `x * (1 + r S_l) + r T_l`, with [K, d] matrices S_l, T_l initialised to zero (a fresh model scores as
 *   the unconditioned one would, whatever r).
 */
export type ConditioningKind = NonNullable<RankerConfig['conditioning']>;

/** Stable name of W_r, the [K, d] matrix that carries the preference into the input projection. */
export const PREFERENCE_INPUT_WEIGHT = 'input.preference.weight';

/** The conditioning variables of a ranker. */
export interface ConditioningParameters {
  input?: tf.Variable;
  film?: { scale: tf.Variable; shift: tf.Variable }[];
}

/** What one forward pass adds, computed from r: [d] vectors (caller disposes with `disposeConditioning`). */
export interface ConditioningTensors {
  inputShift?: tf.Tensor1D;
  /** Per block: the factor `1 + r S_l` and the shift `r T_l`. */
  film?: { scale: tf.Tensor1D; shift: tf.Tensor1D }[];
}

/** Creates the conditioning variables the config asks for (shared; none without conditioning). */
export function createConditioning(
  store: VariableStore,
  config: RankerConfig,
): ConditioningParameters | undefined {
  const { conditioning, taskCount: k, modelDim: d, blocks } = config;
  if (conditioning === undefined) return undefined;
  if (conditioning === 'input') return { input: store.matrix(PREFERENCE_INPUT_WEIGHT, -1, 'shared', k, d) };
  const zeros = () => new Float32Array(k * d);
  return {
    film: Array.from({ length: blocks }, (_, l) => ({
      scale: store.create(`blocks.${l}.film.scale`, l, 'shared', [k, d], zeros),
      shift: store.create(`blocks.${l}.film.shift`, l, 'shared', [k, d], zeros),
    })),
  };
}

/** The forward pass's conditioning tensors at preference r (differentiable in the variables). */
export function conditioningTensors(
  parameters: ConditioningParameters,
  preference: readonly number[],
): ConditioningTensors {
  return tf.tidy(() => {
    const r = tf.tensor2d(Float32Array.from(preference), [1, preference.length]);
    const times = (w: tf.Variable) => tf.reshape(tf.matMul(r, w as tf.Tensor2D), [-1]) as tf.Tensor1D;
    const out: ConditioningTensors = {};
    if (parameters.input !== undefined) out.inputShift = times(parameters.input);
    if (parameters.film !== undefined) {
      out.film = parameters.film.map((block) => ({
        scale: tf.add(times(block.scale), 1) as tf.Tensor1D,
        shift: times(block.shift),
      }));
    }
    return out as unknown as tf.TensorContainer;
  }) as unknown as ConditioningTensors;
}

export function disposeConditioning(tensors: ConditioningTensors | undefined): void {
  if (tensors === undefined) return;
  tf.dispose([
    ...(tensors.inputShift === undefined ? [] : [tensors.inputShift]),
    ...(tensors.film ?? []).flatMap((block) => [block.scale, block.shift]),
  ]);
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
