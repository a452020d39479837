import { describe, expect, it } from 'vitest';
import { minNormPair } from './min-norm-pair.js';

describe('minNormPair', () => {
  it('matches hand-computed cases', () => {
    // Orthogonal unit vectors: the midpoint, norm^2 1/2.
    expect(minNormPair(1, 0, 1)).toEqual({ gamma: 0.5, normSquared: 0.5 });
    // a = (1, 0), b = (1, 1): a.(a - b) = 0, so a itself is the closest point.
    expect(minNormPair(1, 1, 2)).toEqual({ gamma: 1, normSquared: 1 });
    // a = (2, 0), b = (0, 1): gamma = bb / (aa + bb) = 1/5, point (0.4, 0.8), norm^2 0.8.
    const unbalanced = minNormPair(4, 0, 1);
    expect(unbalanced.gamma).toBeCloseTo(0.2, 15);
    expect(unbalanced.normSquared).toBeCloseTo(0.8, 15);
  });

  it('handles degenerate pairs without NaN', () => {
    // Identical: every gamma is optimal; 0.5 keeps them equally weighted.
    expect(minNormPair(2, 2, 2)).toEqual({ gamma: 0.5, normSquared: 2 });
    // Both zero.
    expect(minNormPair(0, 0, 0)).toEqual({ gamma: 0.5, normSquared: 0 });
    // a = 0: all weight on the zero vector.
    expect(minNormPair(0, 0, 3)).toEqual({ gamma: 1, normSquared: 0 });
    // Opposite equal vectors: the midpoint is the origin.
    expect(minNormPair(1, -1, 1)).toEqual({ gamma: 0.5, normSquared: 0 });
    // Colinear, same direction, different lengths: the shorter one.
    expect(minNormPair(1, 2, 4)).toEqual({ gamma: 1, normSquared: 1 });
  });

  it('is never beaten by a point on a fine grid of the segment', () => {
    const cases: [number, number, number][] = [
      [1, 0.3, 2],
      [5, -4, 4],
      [0.01, 0.002, 3],
      [9, 8.9, 9],
    ];
    for (const [aa, ab, bb] of cases) {
      const { normSquared } = minNormPair(aa, ab, bb);
      let gridBest = Number.POSITIVE_INFINITY;
      for (let step = 0; step <= 1000; step++) {
        const g = step / 1000;
        gridBest = Math.min(gridBest, g * g * aa + 2 * g * (1 - g) * ab + (1 - g) * (1 - g) * bb);
      }
      expect(gridBest).toBeGreaterThanOrEqual(normSquared - 1e-12);
    }
  });

  it('rejects impossible inner products', () => {
    expect(() => minNormPair(-1, 0, 1)).toThrow(/aa, bb >= 0/);
    expect(() => minNormPair(1, Number.NaN, 1)).toThrow(/finite/);
  });
});
