import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  finiteDifferenceGradient,
  lossValueAndGradient,
  splitPaddedGradient,
  withPadding,
} from './loss-checks.js';
import type { RankingLoss } from './ranking-loss.js';

// A deliberately simple loss with a known gradient: sum over real items of score^3 (gradient 3 s^2).
const cubes: RankingLoss = {
  name: 'cubes',
  outputs: 1,
  canBeNonPositive: true,
  compute: (scores, _labels, mask) => tf.tidy(() => tf.sum(tf.mul(tf.pow(scores, 3), mask))),
};

describe('loss test support', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('autodiff and finite differences agree with the analytic gradient', () => {
    const input = { scores: [[1, -2, 0.5]], labels: [[0, 0, 0]], mask: [[1, 1, 0]] };
    const { value, gradient } = lossValueAndGradient(cubes, input);
    expect(value).toBeCloseTo(1 - 8, 5);
    expect(gradient).toEqual([3, 12, 0]);
    const numeric = finiteDifferenceGradient(cubes, input);
    for (const [index, g] of numeric.entries()) expect(g).toBeCloseTo([3, 12, 0][index] as number, 3);
  });

  it('withPadding appends junk items and an empty list; splitPaddedGradient finds the original real items', () => {
    const input = {
      scores: [
        [1, 2],
        [3, 4],
      ],
      labels: [
        [1, 0],
        [0, 1],
      ],
      mask: [
        [1, 1],
        [1, 0],
      ],
    };
    const padded = withPadding(input, 1, 9, 5, true);
    expect(padded.scores).toEqual([
      [1, 2, 9],
      [3, 4, 9],
      [9, 9, 9],
    ]);
    expect(padded.mask).toEqual([
      [1, 1, 0],
      [1, 0, 0],
      [0, 0, 0],
    ]);
    const { real, padding } = splitPaddedGradient([10, 11, 12, 13, 14, 15, 16, 17, 18], input, 1);
    expect(real).toEqual([10, 11, 13]);
    expect(padding).toEqual([12, 14, 15, 16, 17, 18]);
  });
});
