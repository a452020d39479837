import { ConfigError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from './config.js';

const minimal = { data: { dataset: 'mq2008' }, losses: [{ name: 'listNet' }], strategy: { id: 'ls' } };

function issuesOf(value: unknown): { path: string; message: string }[] {
  try {
    parseTrainConfig(value, 'c.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseTrainConfig', () => {
  it('fills the documented defaults', () => {
    const config = parseTrainConfig(minimal);
    expect(config.seed).toBe(42);
    expect(config.optimizer).toMatchObject({
      name: 'adam',
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      schedule: { kind: 'constant', warmupSteps: 0 },
    });
    expect(config.training).toMatchObject({
      epochs: 50,
      batchSize: 64,
      maxSlateLength: 240,
      bucketByLength: true,
      padToMaxSlateLength: false,
      microBatchItems: 16384,
    });
    expect(config.evaluation.metrics).toEqual(['ndcg@1', 'ndcg@5', 'ndcg@10', 'ndcg@30']);
    expect(config.earlyStopping).toEqual({ metric: 'ndcg@5', minDelta: 0 });
  });

  it('names the exact path of every bad value', () => {
    const issues = issuesOf({
      ...minimal,
      optimizer: { learningRate: 0, schedule: { kind: 'linear' } },
      losses: [{ name: 'listNet', extra: 1 }],
      training: { batchSize: 2.5 },
    });
    expect(issues.map((i) => i.path).sort()).toEqual([
      'losses[0]',
      'optimizer.learningRate',
      'optimizer.schedule.kind',
      'training.batchSize',
    ]);
    expect(issues.find((i) => i.path === 'losses[0]')?.message).toContain('extra');
  });

  it('validates the data spec inside the config with its own paths', () => {
    const issues = issuesOf({
      ...minimal,
      data: {
        spec: {
          tasks: [
            { name: 'a', source: 'label' },
            { name: 'a', feature: 0 },
          ],
        },
      },
    });
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['data.spec.tasks[1].feature']));
  });

  it('requires the losses and the strategy', () => {
    expect(
      issuesOf({ data: {} })
        .map((i) => i.path)
        .sort(),
    ).toEqual(['losses', 'strategy']);
  });
});
