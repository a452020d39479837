import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { minNormPoint } from './min-norm-point.js';
import { sdmgradWeights } from './sdmgrad-weights.js';
import { expectOnSimplex, gramOf, randomVectors, sum } from './test-vectors.js';

describe('sdmgradWeights', () => {
  it('takes a hand-computed projected gradient step', () => {
    // M = diag(1, 4), no epsilon: mean norm 1.5, normalised M = diag(1, 4) / 2.25. lambda 0.5, K = 2:
    // w + lambda/K = (0.75, 0.75), gradient M (0.75, 0.75) / 2.25 = (1/3, 4/3);
    // w - 0.1 gradient = (0.4666.., 0.3666..), projected: (0.55, 0.45); weights (w + 0.25) / 1.5.
    const result = sdmgradWeights([1, 0, 0, 4], 0.5, { steps: 1, learningRate: 0.1, normEpsilon: 0 });
    expect(result.simplexWeights[0]).toBeCloseTo(0.55, 14);
    expect(result.simplexWeights[1]).toBeCloseTo(0.45, 14);
    expect(result.weights[0]).toBeCloseTo(0.8 / 1.5, 14);
    expect(result.weights[1]).toBeCloseTo(0.7 / 1.5, 14);
    // A second step with momentum 0.5: velocity = 0.5 v1 + gradient at (0.55, 0.45).
    const two = sdmgradWeights([1, 0, 0, 4], 0.5, {
      steps: 2,
      learningRate: 0.1,
      normEpsilon: 0,
      momentum: 0.5,
    });
    const g2 = [0.8 / 2.25, (4 * 0.7) / 2.25];
    const v = [0.5 * (1 / 3) + (g2[0] as number), 0.5 * (4 / 3) + (g2[1] as number)];
    const raw = [0.55 - 0.1 * (v[0] as number), 0.45 - 0.1 * (v[1] as number)];
    const shift = (1 - (raw[0] as number) - (raw[1] as number)) / 2;
    expect(two.simplexWeights[0]).toBeCloseTo((raw[0] as number) + shift, 12);
  });

  it('with no steps returns the mean gradient (1/K each) and the warm start untouched', () => {
    expect(Array.from(sdmgradWeights([1, 0.2, 0.2, 3], 0.6, { steps: 0 }).weights)).toEqual([0.5, 0.5]);
    const warm = sdmgradWeights([1, 0.2, 0.2, 3], 1, { steps: 0, init: [0.8, 0.2] });
    expect(Array.from(warm.simplexWeights)).toEqual([0.8, 0.2]);
    expect(warm.weights[0]).toBeCloseTo((0.8 + 0.5) / 2, 15);
  });

  it('with lambda = 0, enough plain steps converge to the MGDA min-norm weights', () => {
    const rng = new Rng('sdmgrad-mgda');
    for (let trial = 0; trial < 50; trial++) {
      const size = 2 + rng.int(4);
      const gram = gramOf(randomVectors(rng, size, size + 3));
      // A safe step for the normalised Gram matrix: 1 / (2 trace) <= 1 / (2 lambda_max).
      let meanNorm = 0;
      let trace = 0;
      for (let i = 0; i < size; i++) {
        meanNorm += Math.sqrt(gram[i * size + i] as number) / size;
        trace += gram[i * size + i] as number;
      }
      const learningRate = (meanNorm * meanNorm) / (2 * trace);
      const result = sdmgradWeights(gram, 0, { steps: 20000, learningRate, momentum: 0, normEpsilon: 0 });
      const mgda = minNormPoint(gram);
      let normSquared = 0;
      for (let i = 0; i < size; i++)
        for (let j = 0; j < size; j++)
          normSquared +=
            (result.weights[i] as number) * (gram[i * size + j] as number) * (result.weights[j] as number);
      const scale = Math.max(...Array.from({ length: size }, (_, i) => gram[i * size + i] as number));
      expect(normSquared - mgda.normSquared).toBeLessThanOrEqual(1e-6 * scale);
    }
  });

  it('keeps w on the simplex and the coefficients summing to 1 for random inputs, degenerate ones included', () => {
    const rng = new Rng('sdmgrad-simplex');
    const grams: ArrayLike<number>[] = [new Float64Array(9), [1, 1, 1, 1], [1, -1, -1, 1]];
    for (let trial = 0; trial < 200; trial++)
      grams.push(gramOf(randomVectors(rng, 2 + rng.int(5), 1 + rng.int(6))));
    for (const gram of grams) {
      const result = sdmgradWeights(gram, 0.6);
      expectOnSimplex(result.simplexWeights, 1e-12);
      expect(sum(result.weights)).toBeCloseTo(1, 12);
    }
  });

  it('rejects bad options', () => {
    expect(() => sdmgradWeights([1, 0, 0, 1], -1)).toThrow(/lambda must be a finite number >= 0/);
    expect(() => sdmgradWeights([1, 0, 0, 1], 0.6, { steps: -1 })).toThrow(/steps/);
    expect(() => sdmgradWeights([1, 0, 0, 1], 0.6, { learningRate: 0 })).toThrow(/learningRate/);
    expect(() => sdmgradWeights([1, 0, 0, 1], 0.6, { momentum: 1 })).toThrow(/momentum/);
    expect(() => sdmgradWeights([1, 0, 0, 1], 0.6, { init: [1, 0, 0] })).toThrow(/init must have length 2/);
  });
});
