import { createCombineInput, type Strategy } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';

/** One recorded step of a reference implementation: the K loss values and the [K, P] task gradients. */
export interface ReferenceStep {
  losses: readonly number[];
  grads: readonly (readonly number[])[];
}

/**
 * Replays recorded steps through a strategy the way the trainer does (`grads` and `gram` only when the
 * instance needs gradients) and returns, per step, the shared parameters' combined gradient it asks for:
 * its `direction` when it returns one, sum_i w_i g_i otherwise. Reference scripts record the same quantity
 * (the `.grad` the reference's backward leaves), so the two can be compared number by number.
 */
export async function replayCombinedGradients(
  strategy: Strategy,
  steps: readonly ReferenceStep[],
): Promise<number[][]> {
  const combined: number[][] = [];
  for (const [step, { losses, grads }] of steps.entries()) {
    const gradients = strategy.needs.grads === 'none' ? undefined : tf.tensor2d(grads as number[][]);
    try {
      const out = await strategy.combine(
        createCombineInput({ step, epoch: 0, losses: Float32Array.from(losses), grads: gradients }),
      );
      if (out.direction !== undefined) {
        combined.push(Array.from(out.direction.dataSync()));
        out.direction.dispose();
      } else {
        combined.push(weightedSum(out.weights, grads));
      }
    } finally {
      gradients?.dispose();
    }
  }
  return combined;
}

/** sum_i w_i g_i in float64. */
export function weightedSum(weights: ArrayLike<number>, grads: readonly (readonly number[])[]): number[] {
  const total = new Array<number>((grads[0] as readonly number[]).length).fill(0);
  grads.forEach((row, i) => {
    row.forEach((value, k) => {
      total[k] = (total[k] as number) + (weights[i] as number) * value;
    });
  });
  return total;
}

/**
 * Largest |actual - expected| over all entries, relative to the largest |expected| (so a 1e-5 tolerance
 * means "agrees to 1e-5 of the vector's scale"; a zero reference vector is compared absolutely).
 */
export function maxRelativeError(
  actual: readonly (readonly number[])[],
  expected: readonly (readonly number[])[],
): number {
  if (actual.length !== expected.length) {
    throw new RangeError(`expected ${expected.length} vectors, got ${actual.length}`);
  }
  let worst = 0;
  expected.forEach((reference, s) => {
    const mine = actual[s] as readonly number[];
    if (mine.length !== reference.length) {
      throw new RangeError(`vector ${s}: expected length ${reference.length}, got ${mine.length}`);
    }
    const scale = Math.max(1e-30, ...reference.map(Math.abs));
    reference.forEach((value, k) => {
      const error = Math.abs((mine[k] as number) - value) / (scale > 1e-12 ? scale : 1);
      worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : Math.max(worst, error);
    });
  });
  return worst;
}
