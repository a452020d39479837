import type { StrategyContext } from './contract.js';

/**
 * The preference a scalarizing strategy weights its tasks by.
 * Default: the normalised preference (sum 1), uniform 1/K when the config gave none.
 * `compat: 'deepmtl2r'`: the preference as the config wrote it (DeepMTL2R's task_weights), all 1s when absent,
 * because the reference multiplies by it unnormalised.
 */
export function preferenceWeights(
  context: Pick<StrategyContext, 'taskCount' | 'preference' | 'rawPreference'>,
  compat?: 'deepmtl2r',
): number[] {
  const { taskCount } = context;
  if (compat === 'deepmtl2r') return context.rawPreference?.slice() ?? new Array<number>(taskCount).fill(1);
  return context.preference?.slice() ?? new Array<number>(taskCount).fill(1 / taskCount);
}
