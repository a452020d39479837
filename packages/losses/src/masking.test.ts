import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fillPadding,
  maskedLogSoftmax,
  maskedSoftmax,
  meanOverContributingLists,
  pairDifferences,
  preferredPairs,
  reducePairLosses,
  safeDivide,
  safeSqrt,
} from './masking.js';

const values = (run: () => tf.Tensor) => tf.tidy(() => run().arraySync());

describe('masking helpers', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('fillPadding replaces padded entries, also NaN, for [B, L] and [B, L, n]', () => {
    expect(
      values(() => fillPadding(tf.tensor2d([[1, Number.NaN, 3]]), tf.tensor2d([[1, 0, 1]]), -5)),
    ).toEqual([[1, -5, 3]]);
    expect(
      values(() =>
        fillPadding(
          tf.tensor3d([
            [
              [1, 2],
              [3, 4],
            ],
          ]),
          tf.tensor2d([[0, 1]]),
          0,
        ),
      ),
    ).toEqual([
      [
        [0, 0],
        [3, 4],
      ],
    ]);
  });

  it('masked softmax normalises over real items only and is 0 on padding and on empty lists', () => {
    const soft = values(() =>
      maskedSoftmax(
        tf.tensor2d([
          [0, Math.log(3), 50],
          [1, 2, 3],
        ]),
        tf.tensor2d([
          [1, 1, 0],
          [0, 0, 0],
        ]),
      ),
    ) as number[][];
    expect(soft[0]?.[0]).toBeCloseTo(0.25, 6);
    expect(soft[0]?.[1]).toBeCloseTo(0.75, 6);
    expect(soft[0]?.[2]).toBe(0);
    expect(soft[1]).toEqual([0, 0, 0]);
    const logSoft = values(() =>
      maskedLogSoftmax(tf.tensor2d([[1000, 0]]), tf.tensor2d([[1, 1]])),
    ) as number[][];
    expect(logSoft[0]?.[0]).toBeCloseTo(0, 6);
    expect(logSoft[0]?.[1]).toBeCloseTo(-1000, 2);
  });

  it('pairDifferences and preferredPairs build [B, L, L] tensors by broadcasting', () => {
    expect(values(() => pairDifferences(tf.tensor2d([[1, 4]])))).toEqual([
      [
        [0, -3],
        [3, 0],
      ],
    ]);
    const pairs = values(() => preferredPairs(tf.tensor2d([[2, 1, 3]]), tf.tensor2d([[1, 1, 0]])));
    expect(pairs).toEqual([
      [
        [0, 1, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
    ]);
  });

  it('reducePairLosses: pooled mean over pairs, or the mean over lists of per-list sums', () => {
    const losses = tf.tensor3d([
      [
        [0, 2],
        [4, 0],
      ],
      [
        [0, 6],
        [0, 0],
      ],
    ]);
    const mask = tf.tensor3d([
      [
        [0, 1],
        [1, 0],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    ]);
    expect(values(() => reducePairLosses(losses, mask, 'mean'))).toBeCloseTo(3, 6);
    expect(values(() => reducePairLosses(losses, mask, 'sum'))).toBeCloseTo(6, 6);
    expect(values(() => reducePairLosses(losses, tf.zerosLike(mask) as tf.Tensor3D, 'sum'))).toBe(0);
    tf.dispose([losses, mask]);
  });

  it('meanOverContributingLists ignores non-contributing lists, even NaN ones, and is 0 with none', () => {
    expect(
      values(() => meanOverContributingLists(tf.tensor1d([2, Number.NaN, 4]), tf.tensor1d([1, 0, 1]))),
    ).toBeCloseTo(3, 6);
    expect(values(() => meanOverContributingLists(tf.tensor1d([2]), tf.tensor1d([0])))).toBe(0);
  });

  it('safeDivide is 0 where the denominator is 0; safeSqrt has gradient 0 at 0', () => {
    expect(values(() => safeDivide(tf.tensor1d([1, 1]), tf.tensor1d([2, 0])))).toEqual([0.5, 0]);
    const gradient = values(() => tf.grad((x: tf.Tensor) => tf.sum(safeSqrt(x)))(tf.tensor1d([0, 4])));
    expect(gradient).toEqual([0, 0.25]);
  });
});
