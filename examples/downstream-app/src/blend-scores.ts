import { Registry } from '@mtl2r/core';
import lsPlugin from '@mtl2r/strategy-ls';

/**
 * A downstream use of the strategy contract without the trainer: a product team blends per-objective
 * losses of its own model with mtl2r's linear scalarization, chosen from a registry by id.
 */
export async function blendLosses(
  losses: Record<string, number>,
  preference: number[],
): Promise<{ weights: Record<string, number>; total: number }> {
  const registry = new Registry().use(lsPlugin);
  const taskNames = Object.keys(losses);
  const strategy = registry.create('ls', { taskNames, preference });
  try {
    const values = Float32Array.from(taskNames.map((name) => losses[name] ?? 0));
    const { weights } = await strategy.combine({ step: 0, epoch: 0, losses: values });
    const byName = Object.fromEntries(taskNames.map((name, i) => [name, weights[i] ?? 0]));
    const total = Array.from(values).reduce((sum, loss, i) => sum + (weights[i] ?? 0) * loss, 0);
    return { weights: byName, total };
  } finally {
    strategy.dispose();
  }
}
