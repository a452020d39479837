import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('stl in a short training run on bundled MQ2008', () => {
  it('trains only the task named by options.task: weights [0, 1] at every step, finite losses', async () => {
    const steps = (await trainOnMq2008Subset(plugin, { id: 'stl', options: { task: 'pagerank' } })).steps;
    expect(steps).toHaveLength(3); // 24 queries / 8 per batch
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights).toEqual([0, 1]);
    }
  });
});
