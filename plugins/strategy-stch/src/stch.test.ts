import { createStrategy, Rng, type Strategy } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import reference from './fixtures/reference.json' with { type: 'json' };
import plugin, { type StchOptions } from './index.js';

describeStrategyConformance(plugin, {
  options: { warmupEpochs: 0 },
  validOptions: [{ mu: 0.1, warmupEpochs: 2 }],
  invalidOptions: [
    { options: { mu: 0 }, message: 'strategy.options.mu' },
    { options: { warmupEpochs: 1.5 }, message: 'strategy.options.warmupEpochs' },
  ],
});

function create(taskCount: number, options: Partial<StchOptions> = {}, preference?: number[]): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options, preference, rng: new Rng(1).derive('strategy') });
}

async function weights(strategy: Strategy, epoch: number, losses: number[]): Promise<number[]> {
  return Array.from((await strategy.combine({ step: 0, epoch, losses: Float32Array.from(losses) })).weights);
}

describe('stch', () => {
  it('warm-up: weights 1 / L_i; then STCH relative to the warm-up epoch mean losses (hand-computed)', async () => {
    const strategy = create(2, { mu: 1, warmupEpochs: 0 });
    // epoch 0 is the nadir epoch: two steps with losses (1, 4) and (3, 4): z = (2, 4)
    expect(await weights(strategy, 0, [1, 4])).toEqual([1, 0.25]);
    await weights(strategy, 0, [3, 4]);
    // epoch 1, losses (2, 8): ln(L/z) = (0, ln 2); softmax = (1/3, 2/3); w_i = 2 softmax_i / L_i
    const w = await weights(strategy, 1, [2, 8]);
    expect(w[0]).toBeCloseTo((2 * (1 / 3)) / 2, 12);
    expect(w[1]).toBeCloseTo((2 * (2 / 3)) / 8, 12);
  });

  it('a preference scales each task inside the smooth max (lambda = K r)', async () => {
    const strategy = create(2, { mu: 1, warmupEpochs: 0 }, [3, 1]);
    await weights(strategy, 0, [1, 1]);
    // z = (1, 1); losses (e, e) as float32: lambda = (1.5, 0.5), scaled = (1.5, 0.5); softmax ~ (0.731, 0.269)
    const w = await weights(strategy, 1, [Math.E, Math.E]);
    const s0 = 1 / (1 + Math.exp(-1));
    expect(w[0]).toBeCloseTo((2 * s0 * 1.5) / Math.E, 6);
    expect(w[1]).toBeCloseTo((2 * (1 - s0) * 0.5) / Math.E, 6);
  });

  it("agrees with LibMTL's STCH over warm-up, nadir epoch and STCH epochs (fixture from scripts/reference)", async () => {
    expect(reference.runs.length).toBeGreaterThanOrEqual(3);
    for (const run of reference.runs) {
      const taskCount = (run[0] as { losses: number[] }).losses.length;
      const strategy = create(taskCount, { mu: reference.mu, warmupEpochs: reference.warmupEpochs });
      for (const step of run) {
        const w = await weights(strategy, step.epoch, step.losses);
        const combined = (step.grads[0] as number[]).map((_, c) =>
          step.grads.reduce((s, row, k) => s + (w[k] as number) * (row[c] as number), 0),
        );
        combined.forEach((value, c) => {
          expect(value).toBeCloseTo(step.combined[c] as number, 4);
        });
      }
    }
  });

  it('a resumed run keeps its nadir point; a state that is not its own is refused naming the package', async () => {
    const first = create(2, { warmupEpochs: 0 });
    await weights(first, 0, [2, 2]);
    const second = create(2, { warmupEpochs: 0 });
    second.loadState(JSON.parse(JSON.stringify(first.state())));
    expect(await weights(second, 1, [4, 1])).toEqual(await weights(first, 1, [4, 1]));
    expect(() => second.loadState({ bogus: 1 })).toThrow(
      '@mtl2r/strategy-stch: saved state is not an stch state',
    );
    await expect(async () =>
      create(2, { warmupEpochs: 0 }).combine({ step: 0, epoch: 1, losses: Float32Array.of(1, 1) }),
    ).rejects.toThrow('stch: no nadir point was collected');
  });
});
