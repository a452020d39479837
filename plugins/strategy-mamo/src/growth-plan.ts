import { taskPairs } from './block-conflicts.js';
import type { ConflictStatistics } from './conflict-statistics.js';

export type ThresholdComparison = '>=' | '>';

export interface PlannedModule {
  taskA: number;
  taskB: number;
  block: number;
  /** Q of this (pair, block): the steps its block gradients conflicted. */
  conflicts: number;
}

export interface GrowthPlan {
  /** Mean of the non-zero Q entries (0 when no pair ever conflicted). */
  threshold: number;
  modules: PlannedModule[];
}

/**
 * MAMO's activation rule: threshold at the mean of the non-zero entries of Q, and a module for every
 * (pair, block) whose Q passes it (`>=` as in the paper's recipe, or strictly `>`). No conflict at all
 * grows nothing. Modules come out block by block, pairs in (i, j) order, so growth is deterministic.
 */
export function planGrowth(
  stats: ConflictStatistics,
  taskCount: number,
  comparison: ThresholdComparison,
): GrowthPlan {
  const nonZero = stats.negativeCounts.filter((q) => q > 0);
  if (nonZero.length === 0) return { threshold: 0, modules: [] };
  const threshold = nonZero.reduce((a, b) => a + b, 0) / nonZero.length;
  const pairs = taskPairs(taskCount);
  const modules: PlannedModule[] = [];
  for (let block = 0; block < stats.blockCount; block++) {
    pairs.forEach(([taskA, taskB], pair) => {
      const conflicts = stats.count(block, pair);
      const passes = comparison === '>=' ? conflicts >= threshold : conflicts > threshold;
      if (conflicts > 0 && passes) modules.push({ taskA, taskB, block, conflicts });
    });
  }
  return { threshold, modules };
}
