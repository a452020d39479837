import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type OptimizerConfig, parseTrainConfig } from './config.js';
import { Optimizer } from './optimizer.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

function config(optimizer: Record<string, unknown>): OptimizerConfig {
  return parseTrainConfig({ data: {}, losses: [{ name: 'listNet' }], strategy: { id: 'ls' }, optimizer })
    .optimizer;
}

function run(optimizer: Optimizer, start: number[], gradients: number[][], rate: number): number[] {
  const variable = tf.variable(tf.tensor1d(start));
  for (const g of gradients) {
    const gradient = tf.tensor1d(g);
    optimizer.apply([{ name: 'w', variable, gradient }], rate);
    gradient.dispose();
  }
  const out = Array.from(variable.dataSync());
  variable.dispose();
  return out;
}

describe('Optimizer', () => {
  it('Adam: the first step moves each weight by lr * sign(g) (bias-corrected m / sqrt(v))', () => {
    const [a, b] = run(new Optimizer(config({ name: 'adam' })), [1, 1], [[0.5, -2]], 0.1);
    expect(a).toBeCloseTo(0.9, 6);
    expect(b).toBeCloseTo(1.1, 6);
  });

  it('Adam: two steps match the textbook update', () => {
    const g = [0.5, 0.1];
    const m1 = 0.1 * g[0]!;
    const v1 = 0.001 * g[0]! ** 2;
    const m2 = 0.9 * m1 + 0.1 * g[1]!;
    const v2 = 0.999 * v1 + 0.001 * g[1]! ** 2;
    const expected =
      1 - 0.01 * 1 - (0.01 * (m2 / (1 - 0.9 ** 2))) / (Math.sqrt(v2 / (1 - 0.999 ** 2)) + 1e-8);
    expect(run(new Optimizer(config({ name: 'adam' })), [1], [[g[0]!], [g[1]!]], 0.01)[0]).toBeCloseTo(
      expected,
      6,
    );
  });

  it('AdamW decays weights decoupled from the gradient; SGD with momentum accumulates', () => {
    // Zero gradient: Adam's step is 0, so only the decay lr * wd * w acts.
    expect(run(new Optimizer(config({ name: 'adamw', weightDecay: 0.5 })), [2], [[0]], 0.1)[0]).toBeCloseTo(
      2 - 0.1 * 0.5 * 2,
      6,
    );
    // buffer 1, then 0.9 + 1: w = 0 - 0.1 * 1 - 0.1 * 1.9
    expect(run(new Optimizer(config({ name: 'sgd', momentum: 0.9 })), [0], [[1], [1]], 0.1)[0]).toBeCloseTo(
      -0.29,
      6,
    );
  });

  it('state round trip continues identically, and refuses another optimizer', () => {
    const a = new Optimizer(config({ name: 'adam' }));
    const wa = tf.variable(tf.tensor1d([1, 2, 3]));
    const grad = tf.tensor1d([0.3, -0.2, 0.1]);
    a.apply([{ name: 'w', variable: wa, gradient: grad }], 0.01);
    const b = new Optimizer(config({ name: 'adam' }));
    b.loadState(
      JSON.parse(
        JSON.stringify({
          ...a.state(),
          slots: a.state().slots.map((s) => ({ ...s, values: Array.from(s.values) })),
        }),
        (key, value) => (key === 'values' ? Float32Array.from(value) : value),
      ),
    );
    const wb = tf.variable(wa.clone());
    a.apply([{ name: 'w', variable: wa, gradient: grad }], 0.01);
    b.apply([{ name: 'w', variable: wb, gradient: grad }], 0.01);
    expect(Array.from(wb.dataSync())).toEqual(Array.from(wa.dataSync()));
    expect(b.updateCount).toBe(2);
    expect(() => new Optimizer(config({ name: 'sgd' })).loadState(a.state(), 'ckpt')).toThrow(
      "ckpt: saved by optimizer 'adam', but the config uses 'sgd'",
    );
    const before = tf.memory().numTensors;
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before - 4);
    tf.dispose([wa, wb, grad]);
  });
});
