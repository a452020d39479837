import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';
import { installWasmKernels, uninstallWasmKernels } from './wasm-kernels.js';

/** Float bits of a tensor's values, to compare gradients exactly. */
const bitsOf = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

describe('Sum and Mean gradients without a tensor of ones (wasm)', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'wasm' });
  });
  afterAll(() => installWasmKernels());

  const x = () =>
    tf.tensor3d(
      Float32Array.from({ length: 4 * 6 * 10 }, (_, i) => Math.sin(i * 0.7) * 5),
      [4, 6, 10],
    );
  // LayerNorm-like uses (last axis, keepDims), other axes, all axes, negative axes; a non-uniform dy.
  const losses: [string, (t: tf.Tensor) => tf.Scalar][] = [
    ['layer norm', (t) => tf.sum(tf.square(tf.sub(t, tf.mean(t, -1, true))))],
    ['sum axis 1', (t) => tf.sum(tf.mul(tf.sum(t, 1), tf.range(0, 40).reshape([4, 10])))],
    ['mean axes 0, 2', (t) => tf.sum(tf.mul(tf.mean(t, [0, 2]), tf.range(1, 7)))],
    ['mean of all, divided by 3', (t) => tf.div(tf.mean(t), 3)],
    ['sum of all', (t) => tf.mul(tf.sum(t), 0.1)],
  ];

  it('gives the same bits as the stock gradients', () => {
    const input = x();
    const ours = losses.map(([, f]) => tf.tidy(() => bitsOf(tf.grad(f)(input))));
    uninstallWasmKernels();
    const stock = losses.map(([, f]) => tf.tidy(() => bitsOf(tf.grad(f)(input))));
    installWasmKernels();
    losses.forEach(([name], i) => {
      expect(ours[i], name).toEqual(stock[i]);
    });
    input.dispose();
  });

  it('matches hand-computed values: d sum / dx = 1, d mean / dx = 1 / n', () => {
    const input = x();
    const dSum = tf.grad((t: tf.Tensor) => tf.sum(t, [1, 2]).sum())(input);
    const dMean = tf.grad((t: tf.Tensor) => tf.mean(t, -1).sum())(input);
    expect(Array.from(dSum.dataSync()).every((v) => v === 1)).toBe(true);
    expect(Array.from(dMean.dataSync()).every((v) => v === Math.fround(1 / 10))).toBe(true);
    tf.dispose([input, dSum, dMean]);
  });

  it('creates no ones tensor in the backward pass (one Tile per reduction, no upload)', async () => {
    const input = x();
    const profile = await tf.profile(() => {
      tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(tf.mean(t, -1, true)))(input));
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('Tile');
    expect(names).not.toContain('Multiply');
    input.dispose();
  });
});
