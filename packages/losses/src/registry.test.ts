import { selectBackend } from '@mtl2r/backend';
import { ConfigError, Rng } from '@mtl2r/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossValue } from './loss-checks.js';
import { createLoss, isLossName, lossNames, lossOptionsSchema } from './registry.js';

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loss registry', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('lists every loss by id', () => {
    expect([...lossNames].sort()).toEqual(
      [
        'approxNDCG',
        'binaryListNet',
        'lambdaLoss',
        'listMLE',
        'listNet',
        'neuralNDCG',
        'neuralNDCGTransposed',
        'ordinal',
        'pointwiseBCE',
        'pointwiseRMSE',
        'rankNet',
      ].sort(),
    );
    expect(isLossName('lambdaLoss')).toBe(true);
    expect(isLossName('toString')).toBe(false);
  });

  it('creates a loss with its options and reports its name, outputs and sign', () => {
    const loss = createLoss('lambdaLoss', {
      weighting: 'ndcgLoss2++',
      sigma: 1,
      mu: 10,
      k: null,
      reduction: 'mean',
      reductionLog: 'binary',
    });
    expect(loss.name).toBe('lambdaLoss');
    expect(loss.outputs).toBe(1);
    expect(loss.canBeNonPositive).toBe(false);
    expect(createLoss('ordinal', { n: 4 }).outputs).toBe(4);
  });

  it('declares which losses can be <= 0 (the NDCG-based ones and RMSE)', () => {
    const required: Record<string, object> = { ordinal: { n: 2 }, pointwiseRMSE: { levels: 4 } };
    const nonPositive = lossNames.filter((name) => createLoss(name, required[name] ?? {}).canBeNonPositive);
    expect(nonPositive.sort()).toEqual(['approxNDCG', 'neuralNDCG', 'neuralNDCGTransposed', 'pointwiseRMSE']);
  });

  it('an unknown id is a ConfigError at <path>.name listing the valid ids', () => {
    const error = configErrorOf(() => createLoss('lambdaloss', {}, { path: 'tasks[0].loss' }));
    expect(error.issues).toEqual([
      { path: 'tasks[0].loss.name', message: `expected one of ${lossNames.join(', ')}` },
    ]);
    expect(error.message).toContain("unknown loss 'lambdaloss'");
    expect(() => lossOptionsSchema('nope')).toThrow(ConfigError);
  });

  it('a wrong option is a ConfigError naming the exact option path and what was expected', () => {
    const error = configErrorOf(() =>
      createLoss('lambdaLoss', { sigma: 'one', weighting: 'ndcg2' }, { path: 'tasks[1].loss' }),
    );
    const paths = error.issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(['tasks[1].loss.options.sigma', 'tasks[1].loss.options.weighting']);
    expect(error.issues.find((issue) => issue.path.endsWith('sigma'))?.message).toMatch(/expected number/);
    expect(error.message).toContain("invalid options for loss 'lambdaLoss'");
  });

  it('unknown option keys and missing required options are refused', () => {
    expect(configErrorOf(() => createLoss('rankNet', { sigm: 1 })).issues[0]?.message).toMatch(/sigm/);
    expect(configErrorOf(() => createLoss('ordinal', {})).issues[0]?.path).toBe('loss.options.n');
  });

  it('exposes each loss options schema with its defaults', () => {
    expect(lossOptionsSchema('lambdaLoss').parse({})).toEqual({
      weighting: 'ndcgLoss2++',
      sigma: 1,
      mu: 10,
      k: null,
      reduction: 'mean',
      reductionLog: 'binary',
    });
    expect(lossOptionsSchema('neuralNDCG').parse({ k: 5 })).toEqual({
      temperature: 1,
      gain: 'exponential',
      k: 5,
      sinkhornIterations: 50,
      sinkhornTolerance: 1e-6,
    });
  });

  it('listMLE draws its tie break from the creation rng: same seed, same values; different seeds differ somewhere', () => {
    const tied = {
      scores: [[1, 0, 2, 0.5, -1, 0.3]],
      labels: [[1, 1, 1, 1, 1, 1]],
      mask: [[1, 1, 1, 1, 1, 1]],
    };
    const run = (seed: number) => {
      const loss = createLoss('listMLE', {}, { rng: new Rng(seed) });
      return [lossValue(loss, tied), lossValue(loss, tied), lossValue(loss, tied)];
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });
});
