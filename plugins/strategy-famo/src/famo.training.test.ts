import { trainOnMq2008Subset } from '@mtl2r/trainer';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

describe('famo in a short training run on bundled MQ2008', () => {
  it('the trainer hands over the losses after each update and the logits move from step 1 on', async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'famo' });
    expect(steps).toHaveLength(3);
    const logits = steps.map((s) => s.diagnostics['famo_logit(relevance)'] as number);
    expect(logits[0]).toBe(0);
    expect(logits[1]).not.toBe(0);
    expect(Math.abs(logits[1] as number)).toBeLessThanOrEqual(0.025 + 1e-9); // one Adam step of at most lr
    for (const { losses, weights } of steps) {
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it("compat 'deepmtl2r' keeps the logits at 0", async () => {
    const { steps } = await trainOnMq2008Subset(plugin, { id: 'famo', options: { compat: 'deepmtl2r' } });
    for (const { diagnostics } of steps) expect(diagnostics['famo_logit(pagerank)']).toBe(0);
  });
});
