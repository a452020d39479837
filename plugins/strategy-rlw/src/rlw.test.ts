import { createStrategy, Rng, type Strategy, UserError } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import plugin, { type RlwOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ distribution: 'uniform' }],
  invalidOptions: [
    { options: { distribution: 'dirichlet' }, message: 'strategy.options.distribution' },
    { options: { seed: 3 }, message: 'Unrecognized key: "seed"' },
  ],
});

function create(taskCount: number, seed: number, options: Partial<RlwOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options, rng: new Rng(seed).derive('strategy') });
}

async function weightsAt(strategy: Strategy, step: number, losses: number[]): Promise<number[]> {
  const out = await strategy.combine({ step, epoch: 0, losses: Float32Array.from(losses) });
  return Array.from(out.weights);
}

describe('random loss weighting', () => {
  it('two tasks: w_0 = exp(z_0) / (exp(z_0) + exp(z_1)) = 1 / (1 + exp(z_1 - z_0)), z ~ N(0, 1) from ctx.rng', async () => {
    const strategy = create(2, 42);
    const draws = new Rng(42).derive('strategy'); // the same stream the strategy was given
    for (let step = 0; step < 3; step++) {
      const z0 = draws.normal();
      const z1 = draws.normal();
      const expected0 = 1 / (1 + Math.exp(z1 - z0));
      const weights = await weightsAt(strategy, step, [1, 2]);
      expect(weights[0]).toBeCloseTo(expected0, 14);
      expect(weights[1]).toBeCloseTo(1 - expected0, 14);
    }
  });

  it('the uniform option draws z ~ U(0, 1) instead', async () => {
    const strategy = create(3, 7, { distribution: 'uniform' });
    const draws = new Rng(7).derive('strategy');
    const z = [draws.float(), draws.float(), draws.float()];
    const total = Math.exp(z[0]!) + Math.exp(z[1]!) + Math.exp(z[2]!);
    const weights = await weightsAt(strategy, 0, [1, 1, 1]);
    z.forEach((zi, i) => {
      expect(weights[i]).toBeCloseTo(Math.exp(zi) / total, 14);
    });
    // with z in [0, 1) no weight can exceed e / (e + 2) = 0.5761 for K = 3
    expect(Math.max(...weights)).toBeLessThan(Math.E / (Math.E + 2));
  });

  it('ignores the losses: the same seed gives the same weights whatever the losses', async () => {
    const a = create(3, 11);
    const b = create(3, 11);
    expect(await weightsAt(a, 0, [0.1, 5, 9])).toEqual(await weightsAt(b, 0, [3, 3, 3]));
  });

  it('draws new weights each step, and different seeds give different weights', async () => {
    const strategy = create(3, 5);
    const first = await weightsAt(strategy, 0, [1, 1, 1]);
    const second = await weightsAt(strategy, 1, [1, 1, 1]);
    expect(second).not.toEqual(first);
    expect(await weightsAt(create(3, 6), 0, [1, 1, 1])).not.toEqual(first);
  });

  it('averages to uniform weights over many steps (the softmax of symmetric logits)', async () => {
    const strategy = create(4, 2024);
    const steps = 4000;
    const mean = [0, 0, 0, 0];
    for (let step = 0; step < steps; step++) {
      (await weightsAt(strategy, step, [1, 1, 1, 1])).forEach((w, i) => {
        mean[i]! += w / steps;
      });
    }
    // E[w_i] = 1/4 by symmetry; the standard error of each mean is about 0.2 / sqrt(4000) = 0.003
    mean.forEach((m) => {
      expect(Math.abs(m - 0.25)).toBeLessThan(0.02);
    });
  });

  it('refuses a malformed checkpoint state', () => {
    const strategy = create(2, 1);
    expect(() => strategy.loadState({ rng: [1, 2, 3] })).toThrow(UserError);
    expect(() => strategy.loadState(null)).toThrow(
      '@mtl2r/strategy-rlw: cannot resume from saved random state undefined; expected four 32-bit unsigned integers, not all 0',
    );
    expect(() => strategy.loadState({ rng: [0, 0, 0, 0] })).toThrow(/not all 0/);
  });

  it('ignores a preference vector, with a notice (it does not use one)', () => {
    const notices: string[] = [];
    createStrategy(plugin, {
      taskNames: ['a', 'b'],
      preference: [1, 1],
      notice: (line) => notices.push(line),
    });
    expect(notices).toEqual([
      "strategy.preference is not used by strategy 'rlw' (it takes no preference vector); ignoring it",
    ]);
  });
});
