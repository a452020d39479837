import { describe, expect, it } from 'vitest';
import { columnMeans, lossRatios } from './loss-ratios.js';

describe('lossRatios', () => {
  it('newer / older per task', () => {
    expect(lossRatios([1, 3, 0.5], [2, 2, 0.25])).toEqual([0.5, 1.5, 2]);
  });

  it('a ratio involving a loss <= 0 counts as 1 (no rate information)', () => {
    expect(lossRatios([0, -0.8, 2, 1], [1, -0.7, 0, 1])).toEqual([1, 1, 1, 1]);
  });
});

describe('columnMeans', () => {
  it('averages each task over the rows', () => {
    expect(
      columnMeans([
        [1, 2],
        [3, 2],
        [2, 5],
      ]),
    ).toEqual([2, 3]);
  });
});
