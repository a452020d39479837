import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import {
  finiteDifferenceGradient,
  type LossCase,
  leakedTensors,
  lossValueAndGradient,
  maxAbsDifference,
  realEntries,
  splitPaddedGradient,
  toTensors,
  withPadding,
} from './loss-checks.js';
import type { LossComputeContext, RankingLoss } from './ranking-loss.js';

/**
 * The checks every loss must pass, registered as vitest cases inside the caller's `describe`:
 * gradient against central finite differences, padding invariance (value and real-item gradients
 * unchanged, zero gradient on padding, even with NaN junk on padded items and a fully padded list),
 * finite value and gradient when every label of a list is tied, and no leaked tensors.
 */
export interface ConformanceOptions {
  /** A small batch with some padding, at least two lists; default `standardBatch`. */
  batch?: LossCase;
  /** A batch whose lists have all labels tied (no valid pair); default `tiedBatch`. */
  tiedBatch?: LossCase;
  /** The expected value on `tiedBatch`, when the loss defines one (pairwise losses: 0). */
  tiedValue?: number;
  /** Tolerance for gradient vs finite differences (absolute, on gradients of order 1). */
  gradientTolerance?: number;
  /** Fresh context per evaluation, for losses with randomness. */
  makeContext?: () => LossComputeContext;
}

/** Three lists of four: a full list, one padded at the tail, one padded in the middle; graded labels. */
export const standardBatch: LossCase = {
  scores: [
    [0.3, -1.2, 0.8, 0.1],
    [1.5, 0.2, -0.4, 0.0],
    [0.4, 0.9, -0.3, 0.7],
  ],
  labels: [
    [2, 0, 1, 0],
    [0, 1, 3, 0],
    [1, 0, 0, 2],
  ],
  mask: [
    [1, 1, 1, 1],
    [1, 1, 1, 0],
    [1, 1, 0, 1],
  ],
};

/** Every list's real labels tied: all zero in the first, all 2 in the second (padded label differs). */
export const tiedBatch: LossCase = {
  scores: [
    [0.3, -1.2, 0.8],
    [1.5, 0.2, -0.4],
  ],
  labels: [
    [0, 0, 0],
    [2, 2, 0],
  ],
  mask: [
    [1, 1, 1],
    [1, 1, 0],
  ],
};

export function checkLossConformance(makeLoss: () => RankingLoss, settings: ConformanceOptions = {}): void {
  const options = {
    ...settings,
    batch: settings.batch ?? standardBatch,
    tiedBatch: settings.tiedBatch ?? tiedBatch,
  };
  let loss: RankingLoss;
  const withContext = (input: LossCase): LossCase =>
    options.makeContext === undefined ? input : { ...input, context: options.makeContext() };

  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
    loss = makeLoss();
  });

  it('gradient matches central finite differences', () => {
    const { gradient } = lossValueAndGradient(loss, withContext(options.batch));
    const numeric = finiteDifferenceGradient(loss, options.batch, 1e-2, options.makeContext);
    expect(gradient.every(Number.isFinite)).toBe(true);
    expect(maxAbsDifference(gradient, numeric)).toBeLessThan(options.gradientTolerance ?? 2e-3);
    // Guard against a vacuous pass: the batch must exercise a non-zero gradient.
    expect(Math.max(...gradient.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  for (const [junkScore, junkLabel] of [
    [25, 3],
    [Number.NaN, Number.NaN],
  ] as const) {
    it(`padding with junk (score ${junkScore}, label ${junkLabel}) and an empty list changes neither value nor real gradients`, () => {
      const plain = lossValueAndGradient(loss, withContext(options.batch));
      const padded = lossValueAndGradient(
        loss,
        withContext(withPadding(options.batch, 2, junkScore, junkLabel, true)),
      );
      expect(Math.abs(padded.value - plain.value)).toBeLessThan(1e-5 * Math.max(1, Math.abs(plain.value)));
      const { real, padding } = splitPaddedGradient(padded.gradient, options.batch, 2);
      // The extra empty list does not change the mean, so real gradients are unchanged too.
      expect(maxAbsDifference(real, realEntries(plain.gradient, options.batch))).toBeLessThan(1e-6);
      expect(padding.every((g) => g === 0)).toBe(true);
    });
  }

  it('a batch with every label tied gives a finite value and finite gradients', () => {
    const { value, gradient } = lossValueAndGradient(loss, withContext(options.tiedBatch));
    expect(Number.isFinite(value)).toBe(true);
    expect(gradient.every(Number.isFinite)).toBe(true);
    if (options.tiedValue !== undefined) expect(value).toBeCloseTo(options.tiedValue, 6);
  });

  it('a batch of only padding gives 0 with zero gradients', () => {
    const length = (options.batch.labels[0] ?? []).length;
    const junk = (): number | number[] =>
      loss.outputs === 1 ? 7 : Array.from({ length: loss.outputs }, () => 7);
    const input: LossCase = {
      scores: [Array.from({ length }, junk)] as LossCase['scores'],
      labels: [Array.from({ length }, () => 2)],
      mask: [Array.from({ length }, () => 0)],
    };
    const { value, gradient } = lossValueAndGradient(loss, withContext(input));
    expect(Math.abs(value)).toBe(0);
    expect(gradient.every((g) => g === 0)).toBe(true);
  });

  it('leaves no tensors behind', () => {
    lossValueAndGradient(loss, withContext(options.batch)); // warm-up: backends cache some constants
    expect(leakedTensors(() => lossValueAndGradient(loss, withContext(options.batch)))).toBe(0);
    const { scores, labels, mask } = toTensors(options.batch);
    expect(
      leakedTensors(() => loss.compute(scores, labels, mask, withContext(options.batch).context).dispose()),
    ).toBe(0);
    tf.dispose([scores, labels, mask]);
  });
}
