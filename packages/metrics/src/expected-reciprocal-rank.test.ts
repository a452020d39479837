import { describe, expect, it } from 'vitest';
import { expectedReciprocalRank } from './expected-reciprocal-rank.js';

// Ranked labels [2, 1, 0].
const scores = [3, 2, 1];
const labels = [2, 1, 0];

describe('expectedReciprocalRank', () => {
  it('follows the cascade model with stop probability (2^g - 1) / 2^maxGrade', () => {
    // maxGrade defaults to the largest label, 2: R = [3/4, 1/4, 0].
    expect(expectedReciprocalRank(scores, labels)).toBe(3 / 4 + (1 / 2) * (1 / 4) * (1 / 4));
    expect(expectedReciprocalRank(scores, labels, { k: 1 })).toBe(3 / 4);
    // maxGrade 4: R = [3/16, 1/16, 0].
    expect(expectedReciprocalRank(scores, labels, { maxGrade: 4 })).toBe(
      3 / 16 + (1 / 2) * (13 / 16) * (1 / 16),
    );
  });

  it('rewards putting the better document first', () => {
    const reversed = expectedReciprocalRank([1, 2, 3], labels);
    // Ranked [0, 1, 2]: R = [0, 1/4, 3/4]; the user passes rank 1 surely and rank 2 with probability 3/4.
    expect(reversed).toBeCloseTo((1 / 2) * (1 / 4) + (1 / 3) * (3 / 4) * (3 / 4), 15);
    expect(reversed).toBeLessThan(expectedReciprocalRank(scores, labels));
  });

  it('scores a list without positive labels as noRelevant says', () => {
    expect(expectedReciprocalRank([1, 2], [0, 0])).toBe(1);
    expect(expectedReciprocalRank([1, 2], [0, 0], { noRelevant: 'zero' })).toBe(0);
  });

  it('rejects labels above maxGrade', () => {
    expect(() => expectedReciprocalRank(scores, labels, { maxGrade: 1 })).toThrow(
      /label 2 .* is above maxGrade 1/,
    );
  });
});
