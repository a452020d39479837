import { createStrategy, Rng, type Strategy, sampleDirichlet } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import { cosmosWeights } from './cosmos-weights.js';
import plugin, { type PflOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ alpha: 0.5, lambda: 0 }, { alpha: 3 }],
  invalidOptions: [
    { options: { alpha: 0 }, message: 'strategy.options.alpha' },
    { options: { lambda: -1 }, message: 'strategy.options.lambda' },
    { options: { beta: 1 }, message: 'Unrecognized key: "beta"' },
  ],
});

function create(taskCount: number, seed: number, options: Partial<PflOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options, rng: new Rng(seed).derive('strategy') });
}

describe('COSMOS weights', () => {
  it('hand-computed: r = (1/4, 3/4), L = (3, 4), lambda = 2', () => {
    // |r| = sqrt(0.625), |L| = 5, r.L = 3.75; w_i = r_i - 2 (r_i / (5|r|) - 3.75 L_i / (125|r|))
    const w = cosmosWeights([0.25, 0.75], [3, 4], 2);
    expect(w[0]).toBeCloseTo(0.35119288512538815, 12);
    expect(w[1]).toBeCloseTo(0.6741053361559589, 12);
  });

  it('are the gradient of sum r_i L_i - lambda cos(r, L) (central differences)', () => {
    const r = [0.2, 0.5, 0.3];
    const losses = [1.3, 0.7, 2.1];
    const lambda = 1.5;
    const objective = (l: number[]) => {
      const dot = r.reduce((s, ri, i) => s + ri * (l[i] as number), 0);
      const cos = dot / Math.hypot(...r) / Math.hypot(...l);
      return dot - lambda * cos;
    };
    const w = cosmosWeights(r, losses, lambda);
    const h = 1e-6;
    losses.forEach((_, i) => {
      const up = losses.map((l, j) => (j === i ? l + h : l));
      const down = losses.map((l, j) => (j === i ? l - h : l));
      expect(w[i]).toBeCloseTo((objective(up) - objective(down)) / (2 * h), 7);
    });
  });

  it('reduce to the preference when lambda = 0 or the losses are zero', () => {
    expect(cosmosWeights([0.3, 0.7], [2, 5], 0)).toEqual([0.3, 0.7]);
    expect(cosmosWeights([0.3, 0.7], [0, 0], 2)).toEqual([0.3, 0.7]);
  });
});

describe('pfl strategy', () => {
  it('conditions each step on a fresh Dirichlet draw from ctx.rng and weights the losses for that same r', async () => {
    const strategy = create(2, 42, { alpha: 1.2, lambda: 2 });
    const draws = new Rng(42).derive('strategy');
    for (let step = 0; step < 3; step++) {
      const expected = sampleDirichlet(draws, 1.2, 2);
      const r = strategy.conditioning?.({ step, epoch: 0 }) ?? [];
      expect(r).toEqual(expected);
      const losses = Float32Array.from([1.5 + step, 0.5]);
      const out = await strategy.combine({ step, epoch: 0, losses });
      expect(Array.from(out.weights)).toEqual(cosmosWeights(expected, losses, 2));
      expect(out.diagnostics?.['r:task0']).toBe(expected[0]);
    }
  });

  it('resumes identically from state()', () => {
    const a = create(3, 5);
    a.conditioning?.({ step: 0, epoch: 0 });
    const b = create(3, 99);
    b.loadState(JSON.parse(JSON.stringify(a.state())));
    expect(b.conditioning?.({ step: 1, epoch: 0 })).toEqual(a.conditioning?.({ step: 1, epoch: 0 }));
  });

  it('refuses a malformed checkpoint state', () => {
    expect(() => create(2, 1).loadState({ rng: 'x' })).toThrow(/@mtl2r\/strategy-pfl/);
  });
});
