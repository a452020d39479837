import ls from '@mtl2r/strategy-ls';
import { describe, expect, it } from 'vitest';
import { SHORT_RUN_TASKS, trainOnMq2008Subset } from './short-run.js';

describe('trainOnMq2008Subset', () => {
  it('runs 3 steps per epoch and returns the logged losses, weights and epoch losses per task', async () => {
    const { steps, epochLosses } = await trainOnMq2008Subset(
      ls,
      { id: 'ls', preference: [0.25, 0.75] },
      { epochs: 2 },
    );
    expect(steps).toHaveLength(6); // 24 queries / 8 per batch, 2 epochs
    for (const step of steps) {
      expect(step.losses).toHaveLength(SHORT_RUN_TASKS.length);
      expect(step.losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
      expect(step.weights).toEqual([0.25, 0.75]);
    }
    expect(epochLosses).toHaveLength(2);
    // the epoch's training loss is the mean of its steps' losses
    for (const task of [0, 1]) {
      const mean = steps.slice(0, 3).reduce((sum, s) => sum + (s.losses[task] ?? 0), 0) / 3;
      expect(epochLosses[0]?.[task]).toBeCloseTo(mean, 4);
    }
  });
});
