import { ConfigError, Rng } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { hypervolume } from './hypervolume.js';

/**
 * An independent exact hypervolume for small sets (minimisation): cut space into the grid of all point and
 * reference coordinates and add up the cells whose lower corner some point weakly dominates.
 */
function gridHypervolume(points: number[][], reference: number[]): number {
  const dimension = reference.length;
  const inside = points.filter((p) => p.every((v, j) => v < (reference[j] as number)));
  const axes = reference.map((r, j) =>
    [...new Set([...inside.map((p) => p[j] as number), r])].sort((a, b) => a - b),
  );
  let volume = 0;
  const cell = new Array<number>(dimension).fill(0);
  const visit = (j: number): void => {
    if (j === dimension) {
      const covered = inside.some((p) => p.every((v, m) => v <= (axes[m]?.[cell[m] as number] as number)));
      if (!covered) return;
      let size = 1;
      for (let m = 0; m < dimension; m++) {
        const axis = axes[m] as number[];
        size *= (axis[(cell[m] as number) + 1] as number) - (axis[cell[m] as number] as number);
      }
      volume += size;
      return;
    }
    for (let i = 0; i + 1 < (axes[j] as number[]).length; i++) {
      cell[j] = i;
      visit(j + 1);
    }
  };
  visit(0);
  return volume;
}

function randomFront(rng: Rng, count: number, dimension: number): number[][] {
  // Points on the positive unit sphere: mutually non-dominated.
  return Array.from({ length: count }, () => {
    const v = Array.from({ length: dimension }, () => Math.abs(rng.normal()) + 1e-3);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

function randomCloud(rng: Rng, count: number, dimension: number): number[][] {
  // Coarse values so ties and dominated points are common.
  return Array.from({ length: count }, () => Array.from({ length: dimension }, () => rng.int(6) / 4));
}

describe('hypervolume', () => {
  it('equals the hand-computed sum of rectangles in 2-D', () => {
    // Sorted by x, each point adds the strip below the previous one: 3*1 + 2*1 + 1*1.
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
        ],
        [4, 4],
      ),
    ).toBe(6);
    expect(
      hypervolume(
        [
          [3, 1],
          [1, 3],
          [2, 2],
        ],
        [4, 4],
      ),
    ).toBe(6);
  });

  it('matches hand-computed 3-D fronts', () => {
    expect(hypervolume([[0, 0, 0]], [1, 2, 3])).toBe(6);
    // Three boxes of volume 2, pairwise overlaps of volume 1, a triple overlap of 1: 6 - 3 + 1.
    expect(
      hypervolume(
        [
          [0, 1, 1],
          [1, 0, 1],
          [1, 1, 0],
        ],
        [2, 2, 2],
      ),
    ).toBe(4);
    // A staircase: [0,3]x[0,1]x[0,1] union [0,1]x[0,3]x[0,1] union [0,1]x[0,1]x[0,3] (ref 3): 3 + 3 + 3 - 1 - 1 - 1 + 1.
    expect(
      hypervolume(
        [
          [0, 2, 2],
          [2, 0, 2],
          [2, 2, 0],
        ],
        [3, 3, 3],
      ),
    ).toBe(7);
  });

  it('handles maximisation and mixed senses', () => {
    // NDCG pairs maximised from reference (0, 0): 0.8 * 0.6 + 0.7 * (0.7 - 0.6).
    expect(
      hypervolume(
        [
          [0.8, 0.6],
          [0.7, 0.7],
        ],
        [0, 0],
        { sense: 'max' },
      ),
    ).toBeCloseTo(0.55, 15);
    // Maximise x from 0, minimise y up to 4.
    expect(
      hypervolume(
        [
          [3, 1],
          [1, 0],
        ],
        [0, 4],
        { sense: ['max', 'min'] },
      ),
    ).toBe(3 * 3 + 1 * 1);
  });

  it('ignores points that do not strictly beat the reference in every objective', () => {
    expect(
      hypervolume(
        [
          [5, 0],
          [4, 1],
          [1, 4],
        ],
        [4, 4],
      ),
    ).toBe(0);
    expect(
      hypervolume(
        [
          [5, 0],
          [3, 3],
        ],
        [4, 4],
      ),
    ).toBe(1);
    expect(hypervolume([], [1, 1, 1])).toBe(0);
  });

  it('is unchanged by a dominated or duplicate point and grows with a new non-dominated one', () => {
    const front = [
      [1, 3, 2],
      [2, 1, 3],
      [3, 2, 1],
    ];
    const base = hypervolume(front, [4, 4, 4]);
    expect(hypervolume([...front, [3, 3, 3]], [4, 4, 4])).toBe(base);
    expect(hypervolume([...front, [1, 3, 2]], [4, 4, 4])).toBe(base);
    expect(hypervolume([...front, [2, 2, 2]], [4, 4, 4])).toBeGreaterThan(base);
  });

  it('agrees with an independent grid computation on random sets in 2 to 5 objectives', () => {
    const rng = new Rng('hypervolume-grid');
    for (const dimension of [2, 3, 4, 5]) {
      for (let trial = 0; trial < 6; trial++) {
        const points = trial % 2 === 0 ? randomFront(rng, 7, dimension) : randomCloud(rng, 9, dimension);
        const reference = new Array<number>(dimension).fill(1.1);
        expect(hypervolume(points, reference)).toBeCloseTo(gridHypervolume(points, reference), 12);
      }
    }
  });

  it('does not depend on the order of points or objectives for a 50-point front in 5 objectives', () => {
    const points = randomFront(new Rng('hypervolume-50x5'), 50, 5);
    const reference = [1, 1, 1, 1, 1];
    const value = hypervolume(points, reference);
    const reversed = hypervolume([...points].reverse(), reference);
    const rotated = hypervolume(
      points.map((p) => [...p.slice(2), ...p.slice(0, 2)]),
      reference,
    );
    expect(reversed).toBeCloseTo(value, 12);
    expect(rotated).toBeCloseTo(value, 12);
    // Bounded by the largest single box and by the sum of all boxes.
    const boxes = points.map((p) => p.reduce((v, x) => v * (1 - x), 1));
    expect(value).toBeGreaterThanOrEqual(Math.max(...boxes));
    expect(value).toBeLessThanOrEqual(boxes.reduce((a, b) => a + b, 0));
    // Dropping a point loses exactly its exclusive part, which is positive on a front.
    expect(hypervolume(points.slice(1), reference)).toBeLessThan(value);
  });

  it('rejects an empty reference, mismatched lengths and non-finite values', () => {
    expect(() => hypervolume([[1]], [])).toThrow(/reference: is empty/);
    expect(() => hypervolume([[1, 2, 3]], [4, 4])).toThrow(/points\[0\]: has 3 objectives; expected 2/);
    expect(() => hypervolume([[1, 2]], [4, Number.NaN])).toThrow(ConfigError);
    expect(() => hypervolume([[1, 2]], [4, Number.NaN])).toThrow(/reference\[1\]: got NaN/);
  });
});
