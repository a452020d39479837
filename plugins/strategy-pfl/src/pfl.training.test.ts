import { Rng, type StrategyPlugin, sampleDirichlet } from '@mtl2r/core';
import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import { cosmosWeights } from './cosmos-weights.js';
import plugin from './index.js';

describe('pfl in a short training run on bundled MQ2008', () => {
  it('conditions the model on a Dirichlet draw every step and weights the losses by the COSMOS gradient', async () => {
    const seed = 3;
    const seen: number[][] = [];
    // The same plugin, recording what the trainer asked the strategy to condition on.
    const recording: StrategyPlugin<unknown> = {
      ...(plugin as StrategyPlugin<unknown>),
      create(options, context) {
        const strategy = plugin.create(options as never, context);
        const conditioning = strategy.conditioning?.bind(strategy);
        strategy.conditioning = (at) => {
          const r = conditioning?.(at) ?? [];
          seen.push([...r]);
          return r;
        };
        return strategy;
      },
    };
    const steps = (await trainOnMq2008Subset(recording, { id: 'pfl' }, { seed })).steps;
    expect(steps).toHaveLength(3);
    expect(seen).toHaveLength(3);
    const draws = new Rng(seed).derive('strategy');
    steps.forEach(({ losses, weights, diagnostics }, s) => {
      const r = sampleDirichlet(draws, 1.2, 2);
      expect(seen[s]).toEqual(r);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(diagnostics['r:relevance']).toBeCloseTo(r[0] as number, 6);
      // Logged as float32: 5 digits.
      const expected = cosmosWeights(r, losses, 2);
      expect(weights[0]).toBeCloseTo(expected[0] as number, 4);
      expect(weights[1]).toBeCloseTo(expected[1] as number, 4);
    });
  });
});
