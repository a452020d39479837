import { ConfigError, createStrategy, UserError } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import plugin, { type SoftWcOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ mu: 0.01 }, { mu: 5, ideal: [0, 0] }],
  invalidOptions: [
    { options: { mu: 0 }, message: 'strategy.options.mu' },
    { options: { mu: -1 }, message: 'strategy.options.mu' },
    { options: { mu: 'small' }, message: 'strategy.options.mu' },
    { options: { ideal: [] }, message: 'strategy.options.ideal' },
    { options: { temperature: 1 }, message: 'Unrecognized key: "temperature"' },
  ],
});

const names = ['relevance', 'click', 'dwell'];

async function weightsFor(
  preference: number[],
  losses: number[],
  options: Partial<SoftWcOptions> = {},
  step = 0,
): Promise<number[]> {
  const strategy = createStrategy(plugin, { taskNames: names.slice(0, losses.length), preference, options });
  const out = await strategy.combine({ step, epoch: 0, losses: Float32Array.from(losses) });
  return Array.from(out.weights);
}

function expectClose(actual: number[], expected: number[], digits = 12): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, i) => {
    expect(actual[i]).toBeCloseTo(value, digits);
  });
}

describe('smooth weighted Chebyshev', () => {
  it('defaults mu to 1', () => {
    expect(plugin.options['~standard'].validate({})).toEqual({ value: { mu: 1 } });
  });

  it('equal weighted deviations give equal weights', async () => {
    expectClose(await weightsFor([1, 1], [1, 1]), [0.5, 0.5], 15);
  });

  it('matches a hand computation with equal preferences', async () => {
    // r = [0.5, 0.5], mu = 0.5, L = [2, 1]: r L / mu = [2, 1];
    // s = [e^2, e^1] / (e^2 + e) = [e / (e + 1), 1 / (e + 1)] = [0.7310585786300049, 0.2689414213699951];
    // r s normalised is s itself because r is uniform.
    expectClose(await weightsFor([1, 1], [2, 1], { mu: 0.5 }), [0.7310585786300049, 0.2689414213699951]);
  });

  it("weights a task by r_i s_i (the paper's gradient), not s_i alone (the reference code)", async () => {
    // r = [0.25, 0.75], mu = 1, L = [4, 1]: r L = [1, 0.75]
    // s = softmax([1, 0.75]) = [0.5621765008857982, 0.437823499114202] (what DeepMTL2R returns)
    // r s is proportional to [0.25 e, 0.75 e^0.75] = [0.6795704571147613, 1.587750012459506], sum 2.2673204695742672
    // -> [0.29972404264597124, 0.7002759573540288]
    expectClose(await weightsFor([1, 3], [4, 1]), [0.29972404264597124, 0.7002759573540288]);
  });

  it('the weights are the normalised gradient of mu log sum exp(r (L - z) / mu) (finite differences)', async () => {
    const preference = [0.2, 0.5, 0.3];
    const losses = [1.5, 0.75, 2.25]; // exact in float32
    const ideal = [0.25, 0, 0.5];
    const mu = 0.4;
    const stch = (l: number[]) =>
      mu * Math.log(l.reduce((sum, li, i) => sum + Math.exp((preference[i]! * (li - ideal[i]!)) / mu), 0));
    const h = 1e-6;
    const gradient = losses.map((_, i) => {
      const up = losses.map((l, j) => (j === i ? l + h : l));
      const down = losses.map((l, j) => (j === i ? l - h : l));
      return (stch(up) - stch(down)) / (2 * h);
    });
    const total = gradient.reduce((a, b) => a + b, 0);
    expectClose(
      await weightsFor(preference, losses, { mu, ideal }),
      gradient.map((g) => g / total),
      8,
    );
  });

  it('tends to weighted Chebyshev as mu -> 0 and to linear scalarization (r) as mu -> infinity', async () => {
    // r = [0.25, 0.75], L = [4, 1]: r L = [1, 0.75] -> wc picks task 0
    expectClose(await weightsFor([1, 3], [4, 1], { mu: 1e-3 }), [1, 0], 12);
    expectClose(await weightsFor([1, 3], [4, 1], { mu: 1e9 }), [0.25, 0.75], 8);
  });

  it('measures deviations from the ideal point', async () => {
    // r = [0.5, 0.5], L = [1, 2], z = [0, 1]: r (L - z) = [0.5, 0.5] -> equal weights
    expectClose(await weightsFor([1, 1], [1, 2], { ideal: [0, 1] }), [0.5, 0.5], 15);
  });

  it('gives a task with preference 0 weight exactly 0, and does not overflow', async () => {
    expect(await weightsFor([0, 1], [1000, 0.5])).toEqual([0, 1]);
    // r L / mu = [0.5e7, 0.25e7]: the difference is huge, the result is one-hot, no NaN
    expect(await weightsFor([1, 1], [1e4, 5e3], { mu: 1e-3 })).toEqual([1, 0]);
  });

  it('refuses an ideal point of the wrong length and a non-finite loss', async () => {
    const create = () =>
      createStrategy(plugin, { taskNames: names, preference: [1, 1, 1], options: { ideal: [0] } });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow('strategy.options.ideal: expected 3 numbers (one per task), got 1');
    await expect(weightsFor([1, 1], [Number.POSITIVE_INFINITY, 1], {}, 4)).rejects.toThrow(UserError);
    await expect(weightsFor([1, 1], [Number.POSITIVE_INFINITY, 1], {}, 4)).rejects.toThrow(
      "soft_wc: the loss of task 'relevance' is Infinity at step 4",
    );
  });

  it('rejects mu <= 0 naming the option', () => {
    expect(() => createStrategy(plugin, { taskNames: ['a', 'b'], options: { mu: 0 } })).toThrow(
      /strategy\.options\.mu/,
    );
  });
});
