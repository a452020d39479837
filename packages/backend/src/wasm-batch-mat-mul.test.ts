import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastIndices } from './broadcast-indices.js';
import { nativeGemmNote, useNativeGemm } from './native-gemm.js';
import { selectBackend } from './select-backend.js';
import { installWasmKernels, uninstallWasmKernels } from './wasm-kernels.js';

const rng = new Rng('wasm-batch-mat-mul');
const random = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal()),
    shape,
  );

/** Reference: plain triple loop in float64 with numpy broadcasting of the outer dims. */
function naiveMatMul(
  a: tf.Tensor,
  b: tf.Tensor,
  ta: boolean,
  tb: boolean,
): { shape: number[]; values: Float64Array } {
  const av = a.dataSync();
  const bv = b.dataSync();
  const ar = a.rank;
  const br = b.rank;
  const m = a.shape[ta ? ar - 1 : ar - 2] as number;
  const k = a.shape[ta ? ar - 2 : ar - 1] as number;
  const n = b.shape[tb ? br - 2 : br - 1] as number;
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  const outOuter = tf.broadcast_util.assertAndGetBroadcastShape(aOuter, bOuter);
  const ai = broadcastIndices(outOuter, aOuter);
  const bi = broadcastIndices(outOuter, bOuter);
  const values = new Float64Array(ai.length * m * n);
  for (let p = 0; p < ai.length; p++) {
    const aBase = (ai[p] as number) * m * k;
    const bBase = (bi[p] as number) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) {
          const x = av[aBase + (ta ? q * m + i : i * k + q)] as number;
          const y = bv[bBase + (tb ? j * k + q : q * n + j)] as number;
          s += x * y;
        }
        values[p * m * n + i * n + j] = s;
      }
    }
  }
  return { shape: [...outOuter, m, n], values };
}

function expectClose(
  actual: tf.Tensor,
  expected: { shape: number[]; values: ArrayLike<number> },
  tolerance = 1e-4,
): void {
  expect(actual.shape).toEqual(expected.shape);
  const got = actual.dataSync();
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const e = expected.values[i] as number;
    worst = Math.max(worst, Math.abs((got[i] as number) - e) / (1 + Math.abs(e)));
  }
  expect(worst).toBeLessThan(tolerance);
}

// [aShape, bShape, transposeA, transposeB]
const CASES: [number[], number[], boolean, boolean][] = [
  [[7, 5], [5, 3], false, false],
  [[5, 7], [5, 3], true, false],
  [[7, 5], [3, 5], false, true],
  [[5, 7], [3, 5], true, true],
  [[4, 6, 5], [4, 5, 3], false, false],
  [[4, 5, 6], [4, 3, 5], true, true],
  [[4, 6, 5], [5, 3], false, false], // broadcast b: batch folds into rows
  [[4, 5, 6], [3, 5], true, true],
  [[6, 5], [4, 5, 3], false, false], // broadcast a
  [[2, 1, 6, 5], [3, 5, 4], false, false], // outer dims [2,1] x [3] -> [2,3]
  [[2, 3, 5, 6], [1, 3, 4, 5], true, true],
  [[1, 6, 5], [1, 5, 3], false, false], // stock fast path shape
  [[3, 0, 5], [3, 5, 4], false, false], // empty rows
  [[3, 4, 0], [3, 0, 2], false, false], // empty inner dim: zeros
  [[70, 33], [70, 40], true, false], // more than one transpose tile
];

// Both engines behind the kernel: XNNPACK on the heap (always there) and the optional native sgemm.
const ENGINES = [
  { name: 'XNNPACK', native: false },
  { name: `native sgemm (${nativeGemmNote()})`, native: true },
];

describe.each(ENGINES)('wasm BatchMatMul via $name', ({ native }) => {
  let available = true;
  beforeAll(async () => {
    await selectBackend({ backend: 'wasm' });
    available = useNativeGemm(native) || !native;
  });
  afterAll(() => {
    installWasmKernels();
    useNativeGemm(true);
  });

  it('is installed when wasm is selected', () => {
    expect(installWasmKernels()).toContain('BatchMatMul');
  });

  it.each(CASES)(
    'a %j x b %j (transposeA %s, transposeB %s) matches a naive matmul and the stock kernel',
    (as, bs, ta, tb) => {
      if (!available) return; // native addon not built here: nothing to test
      const a = random(as);
      const b = random(bs);
      const before = tf.memory().numTensors;
      const ours = tf.matMul(a, b, ta, tb);
      expectClose(ours, naiveMatMul(a, b, ta, tb));
      // The stock kernel cannot broadcast two different batch sizes ([2,1] x [3]); it is compared elsewhere.
      const batchA = as.slice(0, -2).reduce((p, d) => p * d, 1);
      const batchB = bs.slice(0, -2).reduce((p, d) => p * d, 1);
      if (batchA === batchB || batchA === 1 || batchB === 1) {
        uninstallWasmKernels();
        const reference = tf.matMul(a, b, ta, tb);
        installWasmKernels();
        expectClose(ours, { shape: reference.shape, values: reference.dataSync() });
        reference.dispose();
      }
      ours.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b]);
    },
  );

  it('gives the stock kernel gradients, including through attention-shaped products', () => {
    if (!available) return;
    const q = random([2, 3, 6, 4]);
    const k = random([2, 3, 6, 4]);
    const v = random([2, 3, 6, 4]);
    const w = random([4, 5]);
    const f = (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor, ww: tf.Tensor) =>
      tf.sum(
        tf.sin(tf.matMul(tf.reshape(tf.matMul(tf.softmax(tf.matMul(qq, kk, false, true)), vv), [-1, 4]), ww)),
      );
    const grads = () => tf.grads(f)([q, k, v, w]);
    const ours = grads();
    uninstallWasmKernels();
    const reference = grads();
    installWasmKernels();
    ours.forEach((g, i) => expectClose(g, { shape: reference[i]!.shape, values: reference[i]!.dataSync() }));
    tf.dispose([...ours, ...reference, q, k, v, w]);
  });

  it('leaves no heap data or tensor ids behind', () => {
    const a = random([3, 8, 6]);
    const b = random([3, 8, 6]);
    const backend = tf.backend();
    tf.tidy(() => tf.matMul(a, b, true, false)).dispose();
    const dataIds = backend.numDataIds();
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.tidy(() => tf.matMul(a, b, true, false).dataSync());
    expect(backend.numDataIds()).toBe(dataIds);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([a, b]);
  });
});
