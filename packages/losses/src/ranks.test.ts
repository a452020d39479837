import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { descendingRanks, idealDcg, positionDiscounts } from './ranks.js';

const values = (run: () => tf.Tensor) => tf.tidy(() => run().arraySync());

describe('rank helpers', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('ranks real items by descending value, ties by index, ignoring padding', () => {
    // Item 2 is padded with a high junk value: it must not push the others down.
    const ranks = values(() =>
      descendingRanks(tf.tensor2d([[0.5, 2, 9, 0.5, -1]]), tf.tensor2d([[1, 1, 0, 1, 1]])),
    ) as number[][];
    const row = ranks[0] as number[];
    expect([row[0], row[1], row[3], row[4]]).toEqual([2, 1, 3, 4]);
  });

  it('ranks carry zero gradient', () => {
    const mask = tf.tensor2d([[1, 1]]);
    const gradient = values(() =>
      tf.grad((s: tf.Tensor) => tf.sum(descendingRanks(s as tf.Tensor2D, mask)))(tf.tensor2d([[1, 2]])),
    );
    expect(gradient).toEqual([[0, 0]]);
    mask.dispose();
  });

  it('discounts are 1/log2(1 + p), zero beyond k', () => {
    const discounts = values(() => positionDiscounts(4, 2)) as number[];
    expect(discounts[0]).toBeCloseTo(1, 6);
    expect(discounts[1]).toBeCloseTo(1 / Math.log2(3), 6);
    expect(discounts.slice(2)).toEqual([0, 0]);
  });

  it('ideal DCG sorts real labels; padded labels (even large or NaN) do not count', () => {
    // Real labels (1, 3, 0): ideal order 3, 1, 0 -> 7 + 1/log2(3); with k = 1 only 7.
    const labels = tf.tensor2d([
      [1, 9, 3, 0],
      [Number.NaN, 0, 0, 0],
    ]);
    const mask = tf.tensor2d([
      [1, 0, 1, 1],
      [0, 1, 1, 0],
    ]);
    const full = values(() => idealDcg(labels, mask, null, true)) as number[];
    expect(full[0]).toBeCloseTo(7 + 1 / Math.log2(3), 5);
    expect(full[1]).toBe(0);
    expect((values(() => idealDcg(labels, mask, 1, true)) as number[])[0]).toBeCloseTo(7, 5);
    expect((values(() => idealDcg(labels, mask, null, false)) as number[])[0]).toBeCloseTo(
      3 + 1 / Math.log2(3),
      5,
    );
    tf.dispose([labels, mask]);
  });
});
