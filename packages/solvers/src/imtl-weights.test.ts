import { Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { imtlWeights } from './imtl-weights.js';
import { combination, dot, gramOf, randomVectors, sum, type Vectors } from './test-vectors.js';

/** g.u_i for the aggregate g = sum alpha_i g_i and each unit task gradient. */
function projections(vectors: Vectors, weights: ArrayLike<number>): number[] {
  const aggregate = combination(vectors, weights);
  return vectors.map((g) => dot(aggregate, g) / Math.sqrt(dot(g, g)));
}

describe('imtlWeights', () => {
  it('matches hand-computed cases', () => {
    // g1 = (1, 0), g2 = (0, 2): g = (a1, 2 a2); equal projections a1 = 2 a2, sum 1 -> (2/3, 1/3).
    const orthogonal = imtlWeights([1, 0, 0, 4]);
    expect(orthogonal[0]).toBeCloseTo(2 / 3, 14);
    expect(orthogonal[1]).toBeCloseTo(1 / 3, 14);
    // Opposite gradients of norms 1 and 3: equal projections force g ⟂ both, a1 * 1 = a2 * 3 -> (3/4, 1/4).
    const opposite = imtlWeights([1, -3, -3, 9]);
    expect(opposite[0]).toBeCloseTo(0.75, 14);
    expect(opposite[1]).toBeCloseTo(0.25, 14);
  });

  it('gives the aggregate equal projections onto every unit task gradient (400 seeded random cases)', () => {
    const rng = new Rng('imtl-property');
    for (let trial = 0; trial < 400; trial++) {
      const size = 2 + rng.int(6);
      const vectors = randomVectors(rng, size, size + rng.int(8));
      const weights = imtlWeights(gramOf(vectors));
      expect(sum(weights)).toBeCloseTo(1, 12);
      const values = projections(vectors, weights);
      const scale = Math.max(...values.map(Math.abs));
      for (const value of values)
        expect(Math.abs(value - (values[0] as number))).toBeLessThanOrEqual(1e-8 * scale);
    }
  });

  it('keeps equal projections when a gradient is duplicated or scaled (200 seeded cases), splitting by norm', () => {
    const rng = new Rng('imtl-duplicates');
    for (let trial = 0; trial < 200; trial++) {
      const size = 2 + rng.int(4);
      const vectors = randomVectors(rng, size, size + 1 + rng.int(5));
      const copied = rng.int(size);
      const factor = trial % 2 === 0 ? 1 : 0.1 + 3 * rng.float();
      vectors.push((vectors[copied] as Float64Array).map((value) => factor * value));
      const weights = imtlWeights(gramOf(vectors));
      expect(sum(weights)).toBeCloseTo(1, 12);
      expect(weights[size]).toBeCloseTo(factor * (weights[copied] as number), 8);
      const values = projections(vectors, weights);
      const scale = Math.max(...values.map(Math.abs));
      for (const value of values)
        expect(Math.abs(value - (values[0] as number))).toBeLessThanOrEqual(1e-8 * scale);
    }
  });

  it('handles degenerate gradients as documented, never NaN', () => {
    // Identical: the condition holds for every split; the minimum-norm one is equal weights.
    const identical = imtlWeights([2, 2, 2, 2]);
    expect(identical[0]).toBeCloseTo(0.5, 9);
    expect(identical[1]).toBeCloseTo(0.5, 9);
    // Same direction, lengths 1 and 2 (u_1 = u_2): every split works; shared in proportion to the norms.
    const colinear = imtlWeights([1, 2, 2, 4]);
    expect(colinear[0]).toBeCloseTo(1 / 3, 12);
    expect(colinear[1]).toBeCloseTo(2 / 3, 12);
    // Two identical gradients and a third: equal projections, identical tasks share weight equally.
    const vectors: Vectors = [Float64Array.of(1, 0, 0), Float64Array.of(1, 0, 0), Float64Array.of(0.3, 2, 0)];
    const shared = imtlWeights(gramOf(vectors));
    expect(shared[0]).toBeCloseTo(shared[1] as number, 9);
    expect(sum(shared)).toBeCloseTo(1, 12);
    const values = projections(vectors, shared);
    expect(values[2]).toBeCloseTo(values[0] as number, 9);
    // More tasks than dimensions (4 directions in the plane): only g = 0 has equal projections; least squares
    // finds a sum-1 combination that reaches it.
    const crowded: Vectors = [
      Float64Array.of(1, 0),
      Float64Array.of(0, 2),
      Float64Array.of(-1, 1),
      Float64Array.of(0.5, -3),
    ];
    const crowdedWeights = imtlWeights(gramOf(crowded));
    expect(sum(crowdedWeights)).toBeCloseTo(1, 12);
    const aggregate = combination(crowded, crowdedWeights);
    expect(Math.sqrt(dot(aggregate, aggregate))).toBeLessThan(1e-3);
    // A zero gradient gets weight 0; the others are solved among themselves.
    expect(Array.from(imtlWeights([1, 0, 0, 0, 0, 0, 0, 0, 4])).map((w) => Number(w.toFixed(12)))).toEqual([
      0.666666666667, 0, 0.333333333333,
    ]);
    // All zero: uniform.
    expect(Array.from(imtlWeights(new Float64Array(4)))).toEqual([0.5, 0.5]);
    expect(Array.from(imtlWeights([3]))).toEqual([1]);
  });

  it('rejects a malformed Gram matrix', () => {
    expect(() => imtlWeights([1, 0, 0])).toThrow(/K\*K/);
    expect(() => imtlWeights([1, 5, -5, 1])).toThrow(/not symmetric/);
  });
});
