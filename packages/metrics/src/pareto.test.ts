import { ConfigError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { dominates, nonDominatedIndices } from './pareto.js';

describe('dominates', () => {
  it('needs at least as good everywhere and strictly better somewhere (minimisation by default)', () => {
    expect(dominates([1, 2], [2, 2])).toBe(true);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([1, 3], [2, 2])).toBe(false);
    expect(dominates([2, 2], [1, 2])).toBe(false);
  });

  it('follows the sense: max, or one per objective', () => {
    expect(dominates([0.8, 0.7], [0.7, 0.7], 'max')).toBe(true);
    expect(dominates([0.8, 0.7], [0.7, 0.7], 'min')).toBe(false);
    // Maximise NDCG, minimise model size.
    expect(dominates([0.8, 100], [0.7, 120], ['max', 'min'])).toBe(true);
    expect(dominates([0.8, 130], [0.7, 120], ['max', 'min'])).toBe(false);
  });

  it('rejects mismatched lengths, non-finite values and bad senses', () => {
    expect(() => dominates([1, 2], [1, 2, 3])).toThrow(/b: has 3 objectives; expected 2/);
    expect(() => dominates([1, Number.NaN], [1, 2])).toThrow(/a\[1\]: got NaN/);
    expect(() => dominates([1, 2], [1, 2], ['min'])).toThrow(/got 1 senses for 2 objectives/);
    expect(() => dominates([1, 2], [1, 2], ['min', 'up' as 'max'])).toThrow(/sense\[1\]: got "up"/);
  });
});

describe('nonDominatedIndices', () => {
  it('keeps exactly the points no other point dominates', () => {
    const points = [
      [1, 4],
      [2, 2],
      [3, 3], // dominated by [2, 2]
      [4, 1],
      [2, 5], // dominated by [1, 4]
      [5, 5], // dominated by everything
    ];
    expect(nonDominatedIndices(points)).toEqual([0, 1, 3]);
    // Maximising, [5, 5] is at least as large as every other point in both objectives.
    expect(nonDominatedIndices(points, 'max')).toEqual([5]);
  });

  it('keeps duplicates of a front point and handles mixed senses and 3 objectives', () => {
    expect(
      nonDominatedIndices([
        [1, 1],
        [1, 1],
        [2, 0],
      ]),
    ).toEqual([0, 1, 2]);
    expect(
      nonDominatedIndices(
        [
          [0.8, 10],
          [0.9, 20],
          [0.7, 15],
        ],
        ['max', 'min'],
      ),
    ).toEqual([0, 1]);
    expect(
      nonDominatedIndices([
        [1, 2, 3],
        [3, 2, 1],
        [2, 2, 2],
        [3, 3, 3],
      ]),
    ).toEqual([0, 1, 2]);
  });

  it('returns nothing for no points and names the bad point', () => {
    expect(nonDominatedIndices([])).toEqual([]);
    expect(() => nonDominatedIndices([[1, 2], [1]])).toThrow(ConfigError);
    expect(() => nonDominatedIndices([[1, 2], [1]])).toThrow(/points\[1\]: has 1 objectives; expected 2/);
  });
});
