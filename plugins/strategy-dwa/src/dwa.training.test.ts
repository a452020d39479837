import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('dwa in a short training run on bundled MQ2008', () => {
  it('epoch mode: 1s for two epochs, then 2 softmax of the ratio of the epoch losses / 2; finite losses', async () => {
    const { steps, epochLosses } = await trainOnMq2008Subset(plugin, { id: 'dwa' }, { epochs: 3 });
    expect(steps).toHaveLength(9); // 3 epochs of 24 queries / 8 per batch
    for (const { losses } of steps) expect(losses.every(Number.isFinite)).toBe(true);
    for (const { weights } of steps.slice(0, 6)) expect(weights).toEqual([1, 1]);
    const [older, newer] = [epochLosses[0] as number[], epochLosses[1] as number[]];
    const ratio = [0, 1].map((i) => (newer[i] as number) / (older[i] as number));
    // 2 softmax(r / 2)_0 = 2 / (1 + exp((r_1 - r_0) / 2))
    const expected0 = 2 / (1 + Math.exp(((ratio[1] as number) - (ratio[0] as number)) / 2));
    for (const { weights } of steps.slice(6)) {
      expect(weights[0]).toBeCloseTo(expected0, 5);
      expect(weights[1]).toBeCloseTo(2 - expected0, 5);
    }
  });
});
