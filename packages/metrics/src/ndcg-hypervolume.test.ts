import { describe, expect, it } from 'vitest';
import { hypervolume } from './hypervolume.js';
import { ndcgHypervolume } from './ndcg-hypervolume.js';

describe('ndcgHypervolume', () => {
  it('measures in (1 - NDCG) space from (1, ..., 1) by default', () => {
    // Losses (0.2, 0.4) and (0.3, 0.3) below (1, 1): 0.8 * 0.6 + 0.7 * 0.1.
    expect(
      ndcgHypervolume([
        [0.8, 0.6],
        [0.7, 0.7],
      ]),
    ).toBeCloseTo(0.55, 15);
    expect(ndcgHypervolume([[0.5, 0.5, 0.5]])).toBeCloseTo(0.125, 15);
  });

  it('equals the maximised NDCG hypervolume with the mirrored reference', () => {
    const runs = [
      [0.81, 0.42, 0.55],
      [0.78, 0.5, 0.6],
      [0.8, 0.45, 0.4],
    ];
    expect(ndcgHypervolume(runs)).toBeCloseTo(hypervolume(runs, [0, 0, 0], { sense: 'max' }), 14);
    expect(ndcgHypervolume(runs, [0.5, 0.7, 0.6])).toBeCloseTo(
      hypervolume(runs, [0.5, 0.3, 0.4], { sense: 'max' }),
      14,
    );
  });

  it('is 0 for no runs and for runs that beat no task', () => {
    expect(ndcgHypervolume([])).toBe(0);
    expect(ndcgHypervolume([[0, 0.9]])).toBe(0);
  });
});
