import { createStrategy, UserError } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describeStrategyConformance(plugin, {
  invalidOptions: [{ options: { eps: 1e-8 }, message: 'Unrecognized key: "eps"' }],
});

async function weightsFor(preference: number[] | undefined, losses: number[], step = 0): Promise<number[]> {
  const taskNames = losses.map((_, i) => ['relevance', 'click', 'dwell', 'quality'][i] as string);
  const strategy = createStrategy(plugin, { taskNames, preference });
  const out = await strategy.combine({ step, epoch: 0, losses: Float32Array.from(losses) });
  return Array.from(out.weights);
}

describe('scale-invariant linear scalarization', () => {
  it('declares what the trainer must check', () => {
    expect(plugin.needs).toEqual({ grads: 'none', preference: true, positiveLosses: true });
    expect(plugin.paretoFront).toBe(true);
    expect(plugin.weightsSumToOne).toBeUndefined(); // r_i / L_i do not sum to 1
  });

  it('weights are r_i / L_i (hand-computed)', async () => {
    // r = [1, 3] / 4 = [0.25, 0.75]; L = [0.5, 3]: [0.25 / 0.5, 0.75 / 3] = [0.5, 0.25]
    expect(await weightsFor([1, 3], [0.5, 3])).toEqual([0.5, 0.25]);
    // uniform r = 1/3 each; L = [0.25, 2, 4]: [4/3, 1/6, 1/12]
    const uniform = await weightsFor(undefined, [0.25, 2, 4]);
    [4 / 3, 1 / 6, 1 / 12].forEach((expected, i) => {
      expect(uniform[i]).toBeCloseTo(expected, 14);
    });
  });

  it('the weights are the gradient of sum_i r_i ln L_i (central finite differences)', async () => {
    const preference = [0.2, 0.5, 0.3];
    const losses = [0.75, 1.5, 0.375]; // exact in float32
    const objective = (l: number[]) =>
      l.reduce((sum, li, i) => sum + (preference[i] as number) * Math.log(li), 0);
    const weights = await weightsFor(preference, losses);
    const h = 1e-6;
    losses.forEach((_, i) => {
      const up = losses.map((l, j) => (j === i ? l + h : l));
      const down = losses.map((l, j) => (j === i ? l - h : l));
      expect(weights[i]).toBeCloseTo((objective(up) - objective(down)) / (2 * h), 8);
    });
  });

  it('is scale invariant: scaling a loss by c scales its weight by 1/c, so w_i * grad(c L_i) is unchanged', async () => {
    const base = await weightsFor([1, 1], [0.5, 2]);
    const scaled = await weightsFor([1, 1], [0.5 * 8, 2]);
    // task 0: 0.5 / 0.5 = 1 before, 0.5 / 4 = 0.125 after; 0.125 * 8 = 1
    expect(base[0]).toBe(1);
    expect(scaled[0]).toBe(0.125);
    expect(scaled[0]! * 8).toBe(base[0]);
    expect(scaled[1]).toBe(base[1]);
  });

  it('refuses a loss <= 0 or NaN at run time, naming the task and the step', async () => {
    await expect(weightsFor([1, 1], [0.5, 0], 7)).rejects.toThrow(UserError);
    await expect(weightsFor([1, 1], [0.5, 0], 7)).rejects.toThrow(
      "scaleinvls: the loss of task 'click' is 0 at step 7; scaleinvls minimises sum_i r_i ln L_i and needs every loss to be finite and > 0",
    );
    await expect(weightsFor([1, 1], [-0.25, 1], 3)).rejects.toThrow("task 'relevance' is -0.25 at step 3");
    await expect(weightsFor([1, 1], [1, Number.NaN], 0)).rejects.toThrow("task 'click' is NaN at step 0");
  });

  it('rejects a preference with a negative entry naming the config path', () => {
    expect(() => createStrategy(plugin, { taskNames: ['a', 'b'], preference: [1, -1] })).toThrow(
      'strategy.preference[1]: expected a finite number >= 0, got -1',
    );
  });
});
