import { type CombineOutput, createCombineInput, type ParameterLayout, type Strategy } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';

export interface RowsStep {
  losses: readonly number[];
  /** K per-task gradients, one row each (the [K, P] matrix the trainer would pass). */
  grads: readonly (readonly number[])[];
  step?: number;
  epoch?: number;
  /** Layout of the gradient columns, for strategies that work per block or variable. */
  layout?: ParameterLayout;
}

export interface RowsResult {
  weights: number[];
  /** The shared-parameter update: `direction` when returned, else sum_i w_i g_i (in float64). */
  combined: Float64Array;
  diagnostics: Readonly<Record<string, number>>;
}

/**
 * Calls `combine` on plain rows the way the trainer does (a [K, P] tensor, the lazy Gram matrix, the
 * layout of the testkit's simulation) and returns the update it implies: what reference fixtures (LibMTL,
 * DeepMTL2R) are compared with. Disposes every tensor, including a returned direction.
 */
export async function combineOnRows(strategy: Strategy, input: RowsStep): Promise<RowsResult> {
  const grads = tf.tensor2d(input.grads.map((row) => Array.from(row)));
  let output: CombineOutput;
  try {
    output = await strategy.combine(
      createCombineInput({
        step: input.step ?? 0,
        epoch: input.epoch ?? 0,
        losses: Float32Array.from(input.losses),
        grads,
        ...(input.layout === undefined ? {} : { layout: input.layout }),
      }),
    );
  } finally {
    grads.dispose();
  }
  const weights = Array.from(output.weights);
  let combined: Float64Array;
  if (output.direction !== undefined) {
    combined = Float64Array.from(output.direction.dataSync());
    output.direction.dispose();
  } else {
    const size = input.grads[0]?.length ?? 0;
    combined = new Float64Array(size);
    input.grads.forEach((row, k) => {
      for (let p = 0; p < size; p++)
        combined[p] = (combined[p] as number) + (weights[k] as number) * (row[p] as number);
    });
  }
  return { weights, combined, diagnostics: output.diagnostics ?? {} };
}

/** Largest |a - b| relative to the largest |b| (0 for two zero vectors). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    difference = Math.max(difference, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return scale === 0 ? difference : difference / scale;
}
