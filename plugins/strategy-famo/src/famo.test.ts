import { createStrategy, Rng, type Strategy, UserError } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import { describe, expect, it } from 'vitest';
import reference from './fixtures/famo-reference.json' with { type: 'json' };
import plugin, { type FamoOptions } from './index.js';

describeStrategyConformance(plugin, {
  validOptions: [{ learningRate: 0.1, weightDecay: 0 }, { compat: 'deepmtl2r' }],
  invalidOptions: [
    { options: { learningRate: 0 }, message: 'strategy.options.learningRate' },
    { options: { weightDecay: -1 }, message: 'strategy.options.weightDecay' },
    { options: { compat: 'libmtl' }, message: 'strategy.options.compat' },
    { options: { w_lr: 0.025 }, message: 'Unrecognized key: "w_lr"' },
  ],
});
describeStrategyConformance(plugin, { options: { compat: 'deepmtl2r' }, taskCounts: [3] });

function create(taskCount: number, options: Partial<FamoOptions> = {}): Strategy {
  const taskNames = Array.from({ length: taskCount }, (_, i) => `task${i}`);
  return createStrategy(plugin, { taskNames, options, rng: new Rng(1).derive('strategy') });
}

async function weightsOf(strategy: Strategy, losses: number[], step = 0): Promise<number[]> {
  const out = await strategy.combine({ step, epoch: 0, losses: Float32Array.from(losses) });
  return Array.from(out.weights);
}

function update(strategy: Strategy, before: number[], after: number[] | undefined, step = 0): void {
  strategy.afterUpdate?.({
    step,
    epoch: 0,
    lossesBefore: Float32Array.from(before),
    ...(after === undefined ? {} : { lossesAfter: Float32Array.from(after) }),
  });
}

describe('famo', () => {
  it('equal logits: weights (1 / L_i) / sum_j (1 / L_j)', async () => {
    const weights = await weightsOf(create(2), [1, 3]);
    expect(weights[0]).toBeCloseTo(0.75, 7);
    expect(weights[1]).toBeCloseTo(0.25, 7);
  });

  it('one logit update worked by hand: the task that improved more loses weight', async () => {
    // before (1, 1), after (0.5, 1): delta = (ln 2, 0), z = (1/2, 1/2), J^T delta = (ln 2 / 4, -ln 2 / 4).
    // Adam's first step moves each logit by -lr g / (|g| + 1e-8) (weight decay is 0 at logits 0).
    const strategy = create(2);
    update(strategy, [1, 1], [0.5, 1]);
    const state = strategy.state() as { logits: number[]; steps: number };
    expect(state.steps).toBe(1);
    expect(state.logits[0]).toBeCloseTo(-0.025, 8);
    expect(state.logits[1]).toBeCloseTo(0.025, 8);
    const weights = await weightsOf(strategy, [1, 1], 1);
    expect(weights[0]).toBeCloseTo(1 / (1 + Math.exp(0.05)), 8);
  });

  it("matches DeepMTL2R's and LibMTL's FAMO step by step (fixture from scripts/famo-reference.py)", async () => {
    for (const run of reference.runs) {
      const paper = create(run.taskCount);
      const compat = create(run.taskCount, { compat: 'deepmtl2r' });
      for (const [step, expected] of run.steps.entries()) {
        const ours = await weightsOf(paper, expected.lossesBefore, step);
        const theirs = await weightsOf(compat, expected.lossesBefore, step);
        expected.weights.forEach((w, i) => {
          // float32 losses in, float64 arithmetic: agreement to ~1e-7
          expect(ours[i], `K ${run.taskCount} step ${step} task ${i}`).toBeCloseTo(w, 6);
          expect(ours[i]).toBeCloseTo(expected.weightsLibMtl[i] as number, 6);
          expect(theirs[i]).toBeCloseTo(expected.weightsDeepMtl2r[i] as number, 6);
        });
        update(paper, expected.lossesBefore, expected.lossesAfter, step);
        update(compat, expected.lossesBefore, expected.lossesAfter, step);
        const logits = (paper.state() as { logits: number[] }).logits;
        expected.logitsAfterUpdate.forEach((value, i) => {
          expect(logits[i]).toBeCloseTo(value, 6);
        });
        expect((compat.state() as { logits: number[] }).logits).toEqual(new Array(run.taskCount).fill(0));
      }
    }
  });

  it("compat 'deepmtl2r' does not ask for the losses after the update; the default does", () => {
    expect(create(2).needs).toEqual({ grads: 'none', positiveLosses: true, lossesAfterUpdate: true });
    expect(create(2, { compat: 'deepmtl2r' }).needs.lossesAfterUpdate).toBe(false);
  });

  it('checkpoints logits and Adam moments: a resumed instance continues identically', async () => {
    const original = create(3);
    const data = new Rng('famo-resume');
    const losses = () => [0, 1, 2].map(() => 0.2 + data.float());
    for (let step = 0; step < 3; step++) update(original, losses(), losses(), step);
    const resumed = create(3);
    resumed.loadState(JSON.parse(JSON.stringify(original.state())));
    for (let step = 3; step < 6; step++) {
      const before = losses();
      const after = losses();
      expect(await weightsOf(resumed, before, step)).toEqual(await weightsOf(original, before, step));
      update(resumed, before, after, step);
      update(original, before, after, step);
    }
    expect(resumed.state()).toEqual(original.state());
    expect(() => resumed.loadState({ logits: [0, 0, 0] })).toThrow(UserError);
    expect(() => resumed.loadState(null)).toThrow(/expected \{ logits, first, second: 3 finite numbers each/);
  });

  it('says what is wrong: missing losses after the update, losses that are not positive', async () => {
    expect(() => update(create(2), [1, 1], undefined, 4)).toThrow(
      'famo needs the losses of the same batch after the update',
    );
    expect(() => update(create(2), [1, 1], [1, -2], 4)).toThrow(
      'famo: step 4: the losses after the update must be > 0 (FAMO takes their logarithms), got [1, -2]',
    );
    await expect(async () => weightsOf(create(2), [0, -1], 2)).rejects.toThrow(
      'famo: step 2: the losses must be > 0',
    );
  });
});
