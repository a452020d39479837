import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeGemm } from './native-gemm.js';
import { selectBackend } from './select-backend.js';
import { repeatsOverLeadingAxes } from './wasm-binary.js';
import { installWasmKernels, uninstallWasmKernels } from './wasm-kernels.js';

const rng = new Rng('wasm-binary');
const values = (shape: number[]) =>
  Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal());

const ops = {
  add: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b),
  sub: (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b),
  mul: (a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b),
};

type Operand = [Float32Array, number[]];

/** `op` on every pair, on the given backend (kernels as installed), values read back. */
async function on(backend: 'wasm' | 'cpu', op: keyof typeof ops, pairs: [Operand, Operand][]) {
  await selectBackend({ backend });
  return pairs.map(([a, b]) =>
    tf.tidy(() => ops[op](tf.tensor(a[0], a[1]), tf.tensor(b[0], b[1])).dataSync()),
  );
}

describe('repeatsOverLeadingAxes', () => {
  it('accepts equal shapes, scalars and trailing blocks; refuses inner broadcasts', () => {
    expect(repeatsOverLeadingAxes([3, 4], [3, 4])).toBe(true);
    expect(repeatsOverLeadingAxes([], [3, 4])).toBe(true);
    expect(repeatsOverLeadingAxes([4], [3, 4])).toBe(true);
    expect(repeatsOverLeadingAxes([1, 5, 4], [2, 5, 4])).toBe(true);
    expect(repeatsOverLeadingAxes([2, 1, 4], [2, 5, 4])).toBe(false);
    expect(repeatsOverLeadingAxes([5, 1], [5, 4])).toBe(false);
  });
});

/**
 * Add / Sub / Mul through the addon equal tfjs-cpu bit for bit (float32 add, sub and mul are exactly
 * rounded either way), and the stock wasm kernels: small shapes (stock path), bias broadcasts, scalars,
 * and tensors large enough for two threads.
 */
describe('wasm Add / Sub / Multiply (native when the addon loads)', () => {
  afterAll(async () => {
    installWasmKernels();
    await selectBackend({ backend: 'wasm' });
  });

  const cases: [number[], number[]][] = [
    [
      [7, 3],
      [7, 3],
    ],
    [[300, 128], [128]],
    [[128], [300, 128]],
    [[200, 100], []],
    [[], [200, 100]], // scalar first (sub: s - x)
    [[520, 520], []], // scalar on two threads (270k elements)
    [
      [1024, 520],
      [1024, 520],
    ], // 532k elements: two threads
    [
      [8, 4, 60, 240],
      [60, 240],
    ],
    [
      [50, 30, 400],
      [50, 1, 400],
    ], // inner broadcast: stock kernel
  ];
  const pairs = cases.map(([aShape, bShape]): [Operand, Operand] => [
    [values(aShape), aShape],
    [values(bShape), bShape],
  ]);
  for (const op of ['add', 'sub', 'mul'] as const) {
    it(`${op} equals tfjs-cpu and the stock wasm kernel exactly`, async () => {
      const cpu = await on('cpu', op, pairs);
      const ours = await on('wasm', op, pairs);
      uninstallWasmKernels();
      const stock = await on('wasm', op, pairs);
      installWasmKernels();
      pairs.forEach(([[, aShape], [, bShape]], i) => {
        const [o, c, s] = [ours[i], cpu[i], stock[i]].map((x) => Buffer.from((x as Float32Array).buffer));
        expect(o?.equals(c as Buffer), `${op} ${aShape} ${bShape} vs tfjs-cpu`).toBe(true);
        expect(o?.equals(s as Buffer), `${op} ${aShape} ${bShape} vs stock wasm`).toBe(true);
      });
    });
  }

  it('sums a large tensor over leading axes like the stock kernel (two threads when native)', async () => {
    await selectBackend({ backend: 'wasm' });
    const data = values([2048, 256]);
    const ours = tf.tidy(() => tf.sum(tf.tensor(data, [2048, 256]), 0).dataSync());
    uninstallWasmKernels();
    const stock = tf.tidy(() => tf.sum(tf.tensor(data, [2048, 256]), 0).dataSync());
    installWasmKernels();
    expect(Buffer.from(ours.buffer).equals(Buffer.from(stock.buffer))).toBe(true);
    if (nativeGemm() !== undefined) expect(nativeGemm()?.info().threads).toBeGreaterThanOrEqual(1);
  });

  it('refuses operands that do not fit the heap or the output', () => {
    const native = nativeGemm();
    if (native === undefined)
      return expect(process.env.MTL2R_NATIVE_GEMM === '0' || process.env.CI === undefined).toBe(true);
    const heap = new ArrayBuffer(64);
    expect(() => native.binary(heap, 2, 0, 4, 16, 4, 32, 16)).toThrow(/outside the heap/);
    expect(() => native.binary(heap, 2, 0, 3, 16, 4, 32, 4)).toThrow(/divide the output size/);
    expect(() => native.binary(heap, 7 as 0, 0, 4, 16, 4, 32, 4)).toThrow(/op must be 0-2/);
    expect(() => native.sumRows(heap, 0, 4, 4, 60)).toThrow(/outside the heap/);
  });
});
