import { describe, expect, it } from 'vitest';
import { type OptimizerConfig, parseTrainConfig } from './config.js';
import { learningRateAt } from './learning-rate.js';

function optimizer(schedule: Record<string, unknown>): OptimizerConfig {
  return parseTrainConfig({
    data: {},
    losses: [{ name: 'listNet' }],
    strategy: { id: 'ls' },
    optimizer: { learningRate: 0.1, schedule },
  }).optimizer;
}

describe('learningRateAt', () => {
  it('constant, step and exponential schedules by epoch', () => {
    expect(learningRateAt(optimizer({}), 100, 7, 10)).toBe(0.1);
    const step = optimizer({ kind: 'step', stepEpochs: 3, gamma: 0.5 });
    expect([0, 2, 3, 6].map((e) => learningRateAt(step, 0, e, 10))).toEqual([0.1, 0.1, 0.05, 0.025]);
    expect(learningRateAt(optimizer({ kind: 'exponential', gamma: 0.9 }), 0, 2, 10)).toBeCloseTo(0.081, 12);
  });

  it('cosine from the base rate to the minimum over the epochs', () => {
    const cosine = optimizer({ kind: 'cosine', minLearningRate: 0.02 });
    expect(learningRateAt(cosine, 0, 0, 5)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(cosine, 0, 2, 5)).toBeCloseTo(0.06, 12);
    expect(learningRateAt(cosine, 0, 4, 5)).toBeCloseTo(0.02, 12);
  });

  it('linear warm-up over the first steps', () => {
    const warm = optimizer({ warmupSteps: 4 });
    expect([0, 1, 3, 4].map((s) => learningRateAt(warm, s, 0, 1))).toEqual([0.025, 0.05, 0.1, 0.1]);
  });
});
