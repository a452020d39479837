import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { alignedMtlWeights } from './aligned-mtl-weights.js';
import { symmetricEigen } from './symmetric-eigen.js';
import { gramOf } from './test-vectors.js';

describe('alignedMtlWeights', () => {
  it('hand-computed: orthogonal gradients of norms 2 and 1 are rescaled to norm 1 each', () => {
    // M = diag(4, 1): B = sqrt(1) diag(1/2, 1), w = (0.5, 1); condition number sqrt(4 / 1) = 2
    const result = alignedMtlWeights(
      gramOf([
        [2, 0],
        [0, 1],
      ]),
    );
    expect(result.weights[0]).toBeCloseTo(0.5, 14);
    expect(result.weights[1]).toBeCloseTo(1, 14);
    expect(result.rank).toBe(2);
    expect(result.conditionNumber).toBeCloseTo(2, 14);
  });

  it('full rank: the update has squared norm K * lambda_min (all aligned components equal)', () => {
    const rng = new Rng('aligned');
    for (let k = 2; k <= 6; k++) {
      const rows = Array.from({ length: k }, () => Array.from({ length: k + 5 }, () => rng.normal()));
      const m = gramOf(rows);
      const { weights, rank } = alignedMtlWeights(m);
      expect(rank).toBe(k);
      let squared = 0;
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++)
          squared += (weights[i] as number) * (m[i * k + j] as number) * (weights[j] as number);
      const smallest = symmetricEigen(m, k).values[k - 1] as number;
      expect(squared).toBeCloseTo(k * smallest, 8);
    }
  });

  it('rank-deficient: identical gradients count once; all-zero gradients give zero weights', () => {
    const twin = alignedMtlWeights(
      gramOf([
        [1, 1],
        [1, 1],
      ]),
    );
    expect(twin.rank).toBe(1);
    // M = [[2, 2], [2, 2]]: lambda = 4, v = (1, 1)/sqrt 2; B = v v^T, w = column sums = (1, 1)
    expect(twin.weights[0]).toBeCloseTo(1, 12);
    expect(twin.weights[1]).toBeCloseTo(1, 12);
    const zero = alignedMtlWeights([0, 0, 0, 0]);
    expect(Array.from(zero.weights)).toEqual([0, 0]);
    expect(zero.rank).toBe(0);
  });
});
