import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { cagradDeepmtl2rWeights } from './cagrad-deepmtl2r.js';
import { cagradWeights } from './cagrad-weights.js';
import { gramOf, randomVectors } from './test-vectors.js';

describe('cagradDeepmtl2rWeights', () => {
  it('hand-computed: orthonormal gradients, c = 0.4', () => {
    // M = I: g0 = (0.5, 0.5), mean(M) = 0.5, radius = 0.4 sqrt(0.5 + 1e-8) + 1e-8; the inner problem has
    // w = (0.5, 0.5) (its linear part is constant), ||g_w|| = sqrt(0.5), lambda = radius / (sqrt(0.5) + 1e-8),
    // weights (0.5 + 0.5 lambda) / (1 + 0.16).
    const radius = 0.4 * Math.sqrt(0.5 + 1e-8) + 1e-8;
    const lambda = radius / (Math.sqrt(0.5) + 1e-8);
    const expected = (0.5 + 0.5 * lambda) / 1.16;
    const result = cagradDeepmtl2rWeights(Float64Array.of(1, 0, 0, 1), 0.4);
    expect(result.weights[0]).toBeCloseTo(expected, 12);
    expect(result.weights[1]).toBeCloseTo(expected, 12);
    // rescale 'none' and 'one-plus-c' divide by 1 and 1.4.
    expect(cagradDeepmtl2rWeights(Float64Array.of(1, 0, 0, 1), 0.4, 'none').weights[0]).toBeCloseTo(
      0.5 + 0.5 * lambda,
      12,
    );
    expect(cagradDeepmtl2rWeights(Float64Array.of(1, 0, 0, 1), 0.4, 'one-plus-c').weights[0]).toBeCloseTo(
      (0.5 + 0.5 * lambda) / 1.4,
      12,
    );
  });

  it('differs from the paper only by the eps terms: 1e-6 relative for gradients of unit size', () => {
    const rng = new Rng(404);
    for (let trial = 0; trial < 40; trial++) {
      const size = 2 + rng.int(4);
      const gram = gramOf(randomVectors(rng, size, 12));
      const reference = cagradDeepmtl2rWeights(gram, 0.4);
      const paper = cagradWeights(gram, 0.4, { tolerance: 1e-12 });
      const scale = Math.max(...Array.from(paper.weights, Math.abs));
      for (let i = 0; i < size; i++) {
        expect(
          Math.abs((reference.weights[i] as number) - (paper.weights[i] as number)) / scale,
        ).toBeLessThan(1e-6);
      }
    }
  });

  it('refuses a negative c', () => {
    expect(() => cagradDeepmtl2rWeights(Float64Array.of(1, 0, 0, 1), -0.1)).toThrow('c must be');
  });
});
