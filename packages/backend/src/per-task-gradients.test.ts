import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { perTaskGradients, representationGradients } from './per-task-gradients.js';
import { recordTape } from './retained-tape.js';
import { selectBackend } from './select-backend.js';

const rng = new Rng('per-task-gradients');
const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

// A small shared trunk (matmul, relu, softmax over items, a normalisation) and K = 3 task heads.
let x: tf.Tensor;
let w1: tf.Variable;
let w2: tf.Variable;
let heads: tf.Variable[];
let labels: tf.Tensor[];

const trunk = () => {
  const h = tf.relu(tf.matMul(x, w1));
  const a = tf.matMul(tf.softmax(tf.matMul(h, h, false, true)), h);
  const centred = tf.sub(a, tf.mean(a, -1, true));
  return tf.matMul(tf.div(centred, tf.sqrt(tf.add(tf.mean(tf.square(centred), -1, true), 1e-5))), w2);
};
const headLosses = (z: tf.Tensor): tf.Scalar[] =>
  heads.map((h, k) => tf.mean(tf.square(tf.sub(tf.matMul(z, h), labels[k] as tf.Tensor))) as tf.Scalar);
const forward = () => headLosses(trunk());
const all = () => [w1, w2, ...heads];

function expectSame(actual: tf.Tensor, expected: tf.Tensor): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(e[i] as number, 5);
}

describe('per-task gradients from one forward pass', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
    x = tf.tensor2d(values(6 * 5), [6, 5]);
    w1 = tf.variable(tf.tensor2d(values(5 * 4), [5, 4]));
    w2 = tf.variable(tf.tensor2d(values(4 * 4), [4, 4]));
    heads = [0, 1, 2].map(() => tf.variable(tf.tensor2d(values(4), [4, 1])));
    labels = [0, 1, 2].map(() => tf.tensor2d(values(6), [6, 1]));
  });

  it('equals tf.grads of each loss separately, and runs the forward once', () => {
    let forwards = 0;
    const result = perTaskGradients(() => {
      forwards++;
      return forward();
    }, all());
    expect(forwards).toBe(1);
    expect(result.grads).toHaveLength(3);
    for (let k = 0; k < 3; k++) {
      const { value, grads } = tf.variableGrads(() => forward()[k] as tf.Scalar, all());
      expect(result.losses[k]).toBeCloseTo(value.dataSync()[0] as number, 5);
      // variableGrads leaves out variables a loss does not reach: those must be zeros here.
      all().forEach((v, i) => {
        const g = grads[v.name];
        if (g == null) expect(Array.from(result.grads[k]![i]!.dataSync()).every((e) => e === 0)).toBe(true);
        else expectSame(result.grads[k]![i]!, g);
      });
      tf.dispose([value, ...Object.values(grads)]);
    }
    // Head k gets no gradient from another task's loss.
    expect(Array.from(result.grads[0]![3]!.dataSync())).toEqual([0, 0, 0, 0]);
    tf.dispose(result.grads.flat());
  });

  it('keeps the tensor count flat across steps', () => {
    const step = () => tf.dispose(perTaskGradients(forward, all()).grads.flat());
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('uses one set of random numbers (dropout masks) for all tasks', () => {
    // With a random mask in the forward, the K gradients must add up to the gradient of the summed loss on
    // the same recorded network.
    const tape = recordTape(() => {
      const mask = tf.cast(tf.greater(tf.randomUniform([6, 4], 0, 1, 'float32', 7), 0.3), 'float32');
      const z = tf.mul(trunk(), mask);
      return headLosses(z);
    });
    const perTask = tape.outputs.map((loss) => tape.backward([{ y: loss }], all()));
    const summed = tape.backward(
      tape.outputs.map((y) => ({ y })),
      all(),
    );
    summed.forEach((g, i) => expectSame(g, tf.addN(perTask.map((p) => p[i] as tf.Tensor))));
    tape.dispose();
    tf.dispose([...perTask.flat(), ...summed]);
  });

  it('refuses a backward after dispose', () => {
    const tape = recordTape(forward);
    tape.dispose();
    expect(() => tape.backward([{ y: tape.outputs[0] as tf.Tensor }], all())).toThrow(/after dispose/);
  });
});

describe('representation-space gradients', () => {
  it('gives each task gradient at the representation and one trunk VJP for the combined loss', () => {
    const before = tf.memory().numTensors;
    const result = representationGradients(trunk, headLosses, all());
    const z = tf.tidy(trunk);
    for (let k = 0; k < 3; k++) {
      const expected = tf.grad((zz: tf.Tensor) => headLosses(zz)[k] as tf.Scalar)(z);
      expectSame(result.reprGrads[k]!, expected);
      expected.dispose();
    }
    const weights = [0.2, 0.5, 0.3];
    const upstream = tf.tidy(() => tf.addN(result.reprGrads.map((g, k) => tf.mul(g, weights[k] as number))));
    const combined = result.backward(upstream, weights);
    const { value, grads } = tf.variableGrads(
      () => tf.addN(forward().map((l, k) => tf.mul(l, weights[k] as number))) as tf.Scalar,
      all(),
    );
    all().forEach((v, i) => expectSame(combined[i]!, grads[v.name]!));
    result.dispose();
    tf.dispose([z, upstream, value, ...combined, ...result.reprGrads, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
