import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installEagerGradients, uninstallEagerGradients } from './eager-gradients.js';
import { selectBackend } from './select-backend.js';

const rng = new Rng('eager-gradients');
const random = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal()),
    shape,
  );

// A deep chain with reuse (h feeds two branches) and an attention-like softmax: many intermediate gradients.
// Each layer runs in its own tidy, as model code does, so the forward pass itself stays small.
const net = (x: tf.Tensor, w: tf.Tensor, v: tf.Tensor) => {
  let h = x;
  for (let i = 0; i < 6; i++) {
    const input = h;
    h = tf.tidy(() => {
      const a = tf.tanh(tf.matMul(input, w));
      return tf.add(tf.matMul(tf.softmax(tf.matMul(a, a, false, true)), a), tf.mul(input, 0.5));
    });
  }
  return tf.sum(tf.square(tf.matMul(h, v)));
};

function withStock<T>(f: () => T): T {
  uninstallEagerGradients();
  try {
    return f();
  } finally {
    installEagerGradients();
  }
}

describe('eager gradients (tfjs backprop that frees intermediate gradients early)', () => {
  let x: tf.Tensor;
  let w: tf.Tensor;
  let v: tf.Tensor;
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
    x = random([16, 8]);
    w = random([8, 8]);
    v = random([8, 3]);
  });
  afterAll(() => installEagerGradients());

  it('gives exactly the stock gradients and value', () => {
    const ours = tf.valueAndGrads(net)([x, w, v]);
    const stock = withStock(() => tf.valueAndGrads(net)([x, w, v]));
    expect(ours.value.dataSync()).toEqual(stock.value.dataSync());
    ours.grads.forEach((g, i) => expect(g.dataSync()).toEqual(stock.grads[i]!.dataSync()));
    tf.dispose([ours.value, stock.value, ...ours.grads, ...stock.grads]);
  });

  it('needs less memory at its peak than the stock backprop, and leaks nothing', async () => {
    const run = () => tf.dispose(tf.grads(net)([x, w, v]));
    const before = tf.memory().numTensors;
    // tfjs reuses one profile object across calls: read the number before profiling again.
    const ours = (await tf.profile(run)).peakBytes;
    // tf.profile runs its function after an await: keep the stock path installed until it has finished.
    uninstallEagerGradients();
    const stock = (await tf.profile(run).finally(() => installEagerGradients())).peakBytes;
    expect(ours).toBeLessThan(stock * 0.8);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("frees each op's saved forward tensors once its gradient has run, not at the end", () => {
    // A probe at the start of the chain: its gradient runs last, after every other op's.
    let bytesAtLastGradient = 0;
    const probe = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
      value: tf.clone(args[0] as tf.Tensor),
      gradFunc: (dy: tf.Tensor) => {
        bytesAtLastGradient = tf.memory().numBytes;
        return tf.clone(dy);
      },
    }));
    const run = () => tf.dispose(tf.grad((t: tf.Tensor) => net(probe(t) as tf.Tensor, w, v))(x));
    run();
    const ours = bytesAtLastGradient;
    withStock(run);
    expect(ours).toBeLessThan(bytesAtLastGradient * 0.5);
  });

  it('leaves out variables the loss does not reach (variableGrads), like stock', () => {
    const a = tf.variable(random([3]), true, 'eager-a');
    const unused = tf.variable(random([3]), true, 'eager-unused');
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(a)) as tf.Scalar, [a, unused]);
    expect(Object.keys(grads)).toEqual(['eager-a']);
    tf.dispose([value, ...Object.values(grads), a, unused]);
  });

  it('still supports higher-order gradients (stock path inside an outer tape)', () => {
    const d2 = tf.grad(tf.grad((t: tf.Tensor) => tf.sum(tf.pow(t, 3))));
    const g = d2(tf.tensor1d([1, 2]));
    expect(Array.from(g.dataSync())).toEqual([6, 12]);
    g.dispose();
  });

  it('honours an explicit dy and errors like stock when y does not depend on x', () => {
    const t = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((u: tf.Tensor) => tf.mul(u, 2))(t, tf.tensor1d([1, 0, -1]));
    expect(Array.from(g.dataSync())).toEqual([2, 0, -2]);
    expect(() => tf.grad(() => tf.scalar(1))(t)).toThrow(/Cannot compute gradient of y=f\(x\)/);
    tf.dispose([t, g]);
  });
});
