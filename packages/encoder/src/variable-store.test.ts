import { selectBackend } from '@mtl2r/backend';
import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { VariableStore } from './variable-store.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

describe('VariableStore', () => {
  it("initialises each variable from its own name's stream: creation order does not change values", () => {
    const a = new VariableStore(new Rng(4));
    const b = new VariableStore(new Rng(4));
    a.linear('x', 0, 'shared', 3, 2);
    a.linear('y', 1, 'shared', 2, 2);
    b.linear('y', 1, 'shared', 2, 2);
    b.linear('x', 0, 'shared', 3, 2);
    for (const name of ['x.weight', 'x.bias', 'y.weight', 'y.bias']) {
      expect(Array.from(a.byName()[name]?.dataSync() ?? [])).toEqual(
        Array.from(b.byName()[name]?.dataSync() ?? []),
      );
    }
    a.dispose();
    b.dispose();
  });

  it('lays out shared variables contiguously in creation order and leaves task variables out', () => {
    const store = new VariableStore(new Rng(1));
    store.norm('n', 0, 3);
    store.create('head', 2, { task: 1 }, [2], () => Float32Array.of(1, 2));
    store.matrix('m', 1, 'shared', 2, 2);
    expect(store.sharedLayout()).toEqual({
      size: 10,
      entries: [
        { name: 'n.gamma', block: 0, offset: 0, size: 3, shape: [3] },
        { name: 'n.beta', block: 0, offset: 3, size: 3, shape: [3] },
        { name: 'm', block: 1, offset: 6, size: 4, shape: [2, 2] },
      ],
    });
    expect(store.ofTask(1).map((r) => r.name)).toEqual(['head']);
    expect(store.parameterCount()).toBe(12);
    store.dispose();
  });

  it('assigns by name only when names and shapes match exactly, saying what differs', () => {
    const store = new VariableStore(new Rng(1));
    store.norm('n', 0, 2);
    tf.tidy(() => {
      expect(() =>
        store.assign({ 'n.gamma': tf.ones([2]), extra: tf.ones([1]) }, 'ckpt/weights.bin'),
      ).toThrow(
        "ckpt/weights.bin: variables do not match the ranker's architecture: missing n.beta; unexpected extra",
      );
      expect(() => store.assign({ 'n.gamma': tf.ones([3]), 'n.beta': tf.ones([2]) }, 'w')).toThrow(
        'w: n.gamma has shape [3], expected [2]',
      );
      store.assign({ 'n.gamma': tf.fill([2], 3), 'n.beta': tf.ones([2]) }, 'w');
    });
    expect(Array.from(store.byName()['n.gamma']?.dataSync() ?? [])).toEqual([3, 3]);
    store.dispose();
    expect(() => store.norm('late', 0, 2)).toThrow('this ranker was disposed');
  });
});
