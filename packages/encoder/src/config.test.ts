import { ConfigError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { resolveRankerConfig } from './config.js';

function issuesOf(input: unknown, prefix?: string): { path: string; message: string }[] {
  try {
    resolveRankerConfig(input, prefix);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected a ConfigError');
}

describe('resolveRankerConfig', () => {
  it('fills the DeepMTL2R defaults', () => {
    expect(resolveRankerConfig({ featureCount: 132, taskCount: 5 })).toEqual({
      featureCount: 132,
      modelDim: 128,
      blocks: 4,
      heads: 4,
      ffnDim: 512,
      dropout: 0.3,
      layerNorm: 'standard',
      taskCount: 5,
      perTaskHeads: false,
      pairModuleDim: 32,
    });
  });

  it('names every bad field by its path, under the given prefix', () => {
    const issues = issuesOf({ featureCount: 0, taskCount: 1.5, dropout: 1, layerNorm: 'batch' }, 'model');
    expect(issues.map((i) => i.path).sort()).toEqual([
      'model.dropout',
      'model.featureCount',
      'model.layerNorm',
      'model.taskCount',
    ]);
  });

  it('refuses a width that the heads do not divide, at heads', () => {
    const issues = issuesOf({ featureCount: 10, taskCount: 1, modelDim: 10, heads: 3 });
    expect(issues).toEqual([{ path: 'heads', message: 'modelDim must be divisible by heads' }]);
  });

  it('refuses unknown keys (a typo must not silently fall back to a default)', () => {
    const issues = issuesOf({ featureCount: 10, taskCount: 1, dModel: 64 });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('dModel');
  });

  it('requires featureCount and taskCount', () => {
    expect(
      issuesOf({})
        .map((i) => i.path)
        .sort(),
    ).toEqual(['featureCount', 'taskCount']);
  });
});
