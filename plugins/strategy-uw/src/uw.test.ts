import { selectBackend } from '@mtl2r/backend';
import { createStrategy, type Strategy, UserError } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ initialLogVariance: -0.5 }],
  invalidOptions: [
    { options: { initialLogVariance: 'low' }, message: 'strategy.options.initialLogVariance' },
    { options: { logVariance: 1 }, message: 'Unrecognized key: "logVariance"' },
  ],
});
describeStrategyConformance(plugin, { options: { compat: 'deepmtl2r', initialLogVariance: -0.5 } });

function create(taskCount: number): Strategy {
  return createStrategy(plugin, { taskNames: Array.from({ length: taskCount }, (_, i) => `task${i}`) });
}

/** uw's weights do not depend on the losses of the step: any K losses will do. */
async function weights(strategy: Strategy, taskCount: number): Promise<number[]> {
  return Array.from(
    (await strategy.combine({ step: 0, epoch: 0, losses: new Float32Array(taskCount).fill(1) })).weights,
  );
}

/** The gradient of variableObjective(losses) with respect to s, by tf.variableGrads. */
function objectiveGradient(strategy: Strategy, losses: number[]): { value: number; grad: number[] } {
  const variable = strategy.trainableVariables?.()[0] as tf.Variable;
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => strategy.variableObjective?.(tf.tensor1d(losses)) as tf.Scalar,
      [variable],
    );
    return {
      value: value.dataSync()[0] as number,
      grad: Array.from((grads[variable.name] as tf.Tensor).dataSync()),
    };
  });
}

describe('uncertainty weighting', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('starts from s = 0: weights 0.5 exp(0) = 0.5 for every task', async () => {
    const strategy = create(3);
    expect(await weights(strategy, 3)).toEqual([0.5, 0.5, 0.5]);
    expect(strategy.state()).toEqual({ logVariance: [0, 0, 0] });
    strategy.dispose();
  });

  it('starts from initialLogVariance (LibMTL: -0.5), and trains from there', async () => {
    const strategy = createStrategy(plugin, { taskNames: ['a', 'b'], options: { initialLogVariance: -0.5 } });
    expect(strategy.state()).toEqual({ logVariance: [-0.5, -0.5] });
    for (const w of await weights(strategy, 2)) expect(w).toBeCloseTo(0.5 * Math.exp(0.5), 6);
    expect(strategy.trainableVariables?.()).toHaveLength(1);
    strategy.dispose();
  });

  it("compat 'deepmtl2r' keeps s fixed: constant weights 0.5 exp(-s_0), nothing to train", async () => {
    const strategy = createStrategy(plugin, {
      taskNames: ['a', 'b', 'c'],
      options: { compat: 'deepmtl2r', initialLogVariance: Math.log(2) },
    });
    expect(strategy.trainableVariables).toBeUndefined();
    expect(strategy.variableObjective).toBeUndefined();
    for (let step = 0; step < 3; step++) {
      for (const w of await weights(strategy, 3)) expect(w).toBeCloseTo(0.25, 12);
    }
    expect(strategy.state()).toEqual({ logVariance: [Math.log(2), Math.log(2), Math.log(2)] });
  });

  it('weights are 0.5 exp(-s_i) for the current s', async () => {
    const strategy = create(2);
    strategy.loadState({ logVariance: [Math.log(2), -1] });
    const [w0, w1] = await weights(strategy, 2);
    // 0.5 exp(-ln 2) = 0.25; 0.5 exp(1) = 1.359141
    expect(w0).toBeCloseTo(0.25, 6);
    expect(w1).toBeCloseTo(0.5 * Math.E, 5);
    strategy.dispose();
  });

  it('variableObjective and its gradient 0.5 (1 - exp(-s) L) match a hand computation', () => {
    const strategy = create(2);
    strategy.loadState({ logVariance: [0, Math.log(2)] });
    const { value, grad } = objectiveGradient(strategy, [3, 4]);
    // value = 0.5 (e^0 * 3 + 0) + 0.5 (e^-ln2 * 4 + ln 2) = 1.5 + 0.5 (2 + 0.693147) = 2.846574
    expect(value).toBeCloseTo(1.5 + 0.5 * (2 + Math.log(2)), 5);
    // d/ds_0 = 0.5 (1 - 1 * 3) = -1; d/ds_1 = 0.5 (1 - 0.5 * 4) = -0.5
    expect(grad[0]).toBeCloseTo(-1, 6);
    expect(grad[1]).toBeCloseTo(-0.5, 6);
    // and by the closed form at other points
    strategy.loadState({ logVariance: [1.5, -0.7] });
    const losses = [0.3, 2.2];
    const closed = [1.5, -0.7].map((s, i) => 0.5 * (1 - Math.exp(-s) * (losses[i] as number)));
    objectiveGradient(strategy, losses).grad.forEach((g, i) => {
      expect(g).toBeCloseTo(closed[i] as number, 5);
    });
    strategy.dispose();
  });

  it('gradient descent on variableObjective moves s to ln L (where exp(-s) L = 1)', () => {
    const strategy = create(3);
    const variable = strategy.trainableVariables?.()[0] as tf.Variable;
    const losses = [2, 0.5, 1];
    const start = objectiveGradient(strategy, losses).value;
    for (let step = 0; step < 400; step++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => strategy.variableObjective?.(tf.tensor1d(losses)) as tf.Scalar,
          [variable],
        );
        variable.assign(tf.sub(variable, tf.mul(grads[variable.name] as tf.Tensor, 0.2)));
      });
    }
    const s = (strategy.state() as { logVariance: number[] }).logVariance;
    // ln 2 = 0.693147, ln 0.5 = -0.693147, ln 1 = 0
    expect(s[0]).toBeCloseTo(Math.log(2), 3);
    expect(s[1]).toBeCloseTo(Math.log(0.5), 3);
    expect(s[2]).toBeCloseTo(0, 3);
    expect(objectiveGradient(strategy, losses).value).toBeLessThan(start);
    strategy.dispose();
  });

  it('dispose releases s; two instances have independent variables', () => {
    const before = tf.memory().numTensors;
    const a = create(2);
    const b = create(2);
    a.loadState({ logVariance: [1, 1] });
    expect(b.state()).toEqual({ logVariance: [0, 0] });
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a state of the wrong length or shape', () => {
    const strategy = create(2);
    expect(() => strategy.loadState({ logVariance: [0, 0, 0] })).toThrow(UserError);
    expect(() => strategy.loadState({ logVariance: [0, Number.NaN] })).toThrow(
      'uw: cannot resume from strategy state {"logVariance":[0,null]}; expected { "logVariance": [2 finite numbers] }',
    );
    strategy.dispose();
  });
});
