import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';
import { installWasmKernels, uninstallWasmKernels } from './wasm-kernels.js';

const rng = new Rng('wasm-sum-tile');
const random = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal()),
    shape,
  );

/** Runs f with our kernels and with the stock ones; returns both results' values and shapes. */
function both(f: () => tf.Tensor): [tf.Tensor, tf.Tensor] {
  const ours = f();
  uninstallWasmKernels();
  try {
    return [ours, f()];
  } finally {
    installWasmKernels();
  }
}

function expectIdentical([ours, stock]: [tf.Tensor, tf.Tensor]): void {
  expect(ours.shape).toEqual(stock.shape);
  expect(ours.dtype).toBe(stock.dtype);
  expect(Array.from(ours.dataSync())).toEqual(Array.from(stock.dataSync()));
  tf.dispose([ours, stock]);
}

describe('wasm Sum over leading axes and Tile', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'wasm' });
  });
  afterAll(() => installWasmKernels());

  const x = () => random([37, 5, 6]);

  it.each([[0], [[0, 1]], [[1, 0]], [-3], [[-3, -2]]] as (number | number[])[][])(
    'Sum over axis %j equals the stock kernel bit for bit',
    (axis) => {
      const t = x();
      expectIdentical(both(() => tf.sum(t, axis)));
      expectIdentical(both(() => tf.sum(t, axis, true)));
      t.dispose();
    },
  );

  it('leaves other reductions to the stock kernel (same results)', () => {
    const t = x();
    expectIdentical(both(() => tf.sum(t)));
    expectIdentical(both(() => tf.sum(t, [0, 2])));
    expectIdentical(both(() => tf.sum(t, -1)));
    expectIdentical(both(() => tf.sum(tf.cast(t, 'int32'), 0)));
    t.dispose();
  });

  it('bias gradients are unchanged', () => {
    const a = random([50, 7]);
    const b = random([7]);
    expectIdentical(both(() => tf.grad((bias: tf.Tensor) => tf.sum(tf.sin(tf.add(a, bias))))(b)));
    tf.dispose([a, b]);
  });

  it.each([
    [
      [2, 3],
      [2, 1],
    ],
    [
      [2, 3],
      [1, 3],
    ],
    [
      [4, 1, 3],
      [1, 5, 1],
    ],
    [
      [2, 1],
      [3, 4],
    ],
    [[5], [3]],
    [
      [2, 2, 2],
      [1, 1, 1],
    ],
  ])('Tile %j by %j equals the stock kernel for float32, int32 and bool', (shape, reps) => {
    const t = random(shape);
    expectIdentical(both(() => tf.tile(t, reps)));
    expectIdentical(both(() => tf.tile(tf.cast(tf.mul(t, 10), 'int32'), reps)));
    expectIdentical(both(() => tf.tile(tf.greater(t, 0), reps)));
    t.dispose();
  });

  it('a broadcast where (the padded-feature mask) is unchanged', () => {
    const features = random([3, 4, 5]);
    const mask = tf.tensor3d([1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0], [3, 4, 1], 'bool');
    expectIdentical(both(() => tf.where(mask, features, tf.zerosLike(features))));
    tf.dispose([features, mask]);
  });
});
