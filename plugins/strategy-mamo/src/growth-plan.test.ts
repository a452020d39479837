import { describe, expect, it } from 'vitest';
import { ConflictStatistics } from './conflict-statistics.js';
import { planGrowth } from './growth-plan.js';

/** Two blocks, three tasks (pairs 01, 02, 12); each step's rows of cosines. */
function statsFrom(steps: number[][][]): ConflictStatistics {
  const stats = new ConflictStatistics(2, 3);
  for (const rows of steps) stats.add(rows.map((r) => Float64Array.from(r)));
  return stats;
}

describe('ConflictStatistics', () => {
  it('counts negative cosines per (block, pair) and averages their magnitude', () => {
    const stats = statsFrom([
      [
        [-0.5, 0.2, 0],
        [0.1, -0.2, -0.4],
      ],
      [
        [-0.1, 0.3, 0.5],
        [0.1, 0.2, -0.2],
      ],
    ]);
    expect(stats.steps).toBe(2);
    expect(stats.negativeCounts).toEqual([2, 0, 0, 0, 1, 2]);
    expect(stats.meanNegativeMagnitude(0, 0)).toBeCloseTo(0.3, 12);
    expect(stats.meanNegativeMagnitude(1, 2)).toBeCloseTo(0.3, 12);
    expect(stats.meanNegativeMagnitude(0, 1)).toBe(0);
  });

  it('round-trips through JSON and refuses a malformed record', () => {
    const stats = statsFrom([
      [
        [-0.5, 0.2, 0],
        [0.1, -0.2, -0.4],
      ],
    ]);
    const copy = ConflictStatistics.fromJson(JSON.parse(JSON.stringify(stats.toJson())), 2, 3, 'state');
    expect(copy.toJson()).toEqual(stats.toJson());
    expect(() => ConflictStatistics.fromJson({ steps: 1, negativeCounts: [1] }, 2, 3, 'state.stats')).toThrow(
      'state.stats: expected { steps, negativeCounts, negativeMagnitudes } with 6 numbers each (2 blocks x 3 pairs)',
    );
  });
});

describe('planGrowth', () => {
  // Q = [2, 0, 0 | 0, 1, 2]: non-zero mean = 5/3.
  const stats = statsFrom([
    [
      [-0.5, 0.2, 0],
      [0.1, -0.2, -0.4],
    ],
    [
      [-0.1, 0.3, 0.5],
      [0.1, 0.2, -0.2],
    ],
  ]);

  it("grows a module where Q >= the mean of the non-zero entries ('>=', the default)", () => {
    const plan = planGrowth(stats, 3, '>=');
    expect(plan.threshold).toBeCloseTo(5 / 3, 12);
    expect(plan.modules).toEqual([
      { taskA: 0, taskB: 1, block: 0, conflicts: 2 },
      { taskA: 1, taskB: 2, block: 1, conflicts: 2 },
    ]);
  });

  it("'>' differs from '>=' only when a count equals the mean", () => {
    const tied = statsFrom([
      [
        [-0.5, 0, 0],
        [0, 0, -0.1],
      ],
    ]); // Q = [1, 0, 0 | 0, 0, 1], mean 1
    expect(planGrowth(tied, 3, '>=').modules).toHaveLength(2);
    expect(planGrowth(tied, 3, '>').modules).toEqual([]);
  });

  it('grows nothing when no pair ever conflicted', () => {
    expect(planGrowth(new ConflictStatistics(2, 3), 3, '>=')).toEqual({ threshold: 0, modules: [] });
  });
});
