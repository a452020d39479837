import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordTape } from './retained-tape.js';
import { selectBackend } from './select-backend.js';
import {
  installShapeOnlySaves,
  SHAPE_ONLY_GRADIENT_KERNELS,
  uninstallShapeOnlySaves,
} from './shape-only-saves.js';

const rng = new Rng('shape-only-saves');
const random = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal()),
    shape,
  );

// Every shape-only kernel, with broadcasts, next to ones whose gradients read values (Mul, Square, Softmax).
const net = (x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) => {
  const h = tf.add(tf.matMul(tf.reshape(x, [12, 8]), w), bias);
  const centred = tf.sub(h, tf.mean(h, -1, true));
  const joined = tf.concat([tf.softmax(centred), tf.square(centred)], -1);
  const summed = tf.add(tf.addN([joined, tf.mul(joined, 0.5)]), tf.expandDims(tf.sum(joined, 0), 0));
  return tf.sum(tf.mul(summed, summed));
};

describe('shape-only saves', () => {
  let x: tf.Tensor;
  let w: tf.Tensor;
  let bias: tf.Tensor;
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
    x = random([3, 4, 8]);
    w = random([8, 6]);
    bias = random([6]);
  });
  afterAll(() => {
    installShapeOnlySaves();
    tf.dispose([x, w, bias]);
  });

  const gradients = () =>
    tf
      .grads(net)([x, w, bias])
      .map((g) => g.arraySync());

  it('gives the same gradients, bit for bit, as tfjs keeping the data', () => {
    const ours = gradients();
    uninstallShapeOnlySaves();
    const stock = gradients();
    installShapeOnlySaves();
    expect(ours).toEqual(stock);
  });

  it('frees the data saved for Add, Sub, Reshape, Mean, Sum, Concat, AddN and ExpandDims, keeps the rest', () => {
    const tape = recordTape(() => [net(x, w, bias)]);
    const nodes = (tape as unknown as { nodes: { kernelName: string; saved?: tf.Tensor[] }[] }).nodes;
    const kernels = new Set(nodes.map((n) => n.kernelName));
    for (const name of SHAPE_ONLY_GRADIENT_KERNELS) expect(kernels.has(name), name).toBe(true);
    for (const node of nodes) {
      const disposed = (node.saved ?? []).map((t) => t.isDisposed);
      const shapeOnly = SHAPE_ONLY_GRADIENT_KERNELS.has(node.kernelName);
      expect(
        disposed.every((d) => d === shapeOnly),
        node.kernelName,
      ).toBe(true);
    }
    const multiply = nodes.find((n) => n.kernelName === tf.Multiply);
    expect(multiply?.saved?.length).toBe(2);
    tape.dispose();
  });

  it('holds less memory between the forward and the backward pass', () => {
    const held = () => {
      const before = tf.memory().numBytes;
      const tape = recordTape(() => [net(x, w, bias)]);
      const bytes = tf.memory().numBytes - before;
      tape.dispose();
      return bytes;
    };
    const ours = held();
    uninstallShapeOnlySaves();
    const stock = held();
    installShapeOnlySaves();
    expect(ours).toBeLessThan(stock);
  });
});
