import type { Strategy, StrategyPlugin } from './contract.js';

/** Which plugin made an instance: filled by `createStrategy`, read by error messages that must name it. */
const origins = new WeakMap<Strategy, StrategyPlugin<unknown>>();

export function recordStrategyOrigin(strategy: Strategy, plugin: StrategyPlugin<unknown>): void {
  if (strategy !== null && typeof strategy === 'object') origins.set(strategy, plugin);
}

/** The plugin `createStrategy` made this instance from, if it did. */
export function strategyOrigin(strategy: Strategy): StrategyPlugin<unknown> | undefined {
  return origins.get(strategy);
}

/** `strategy 'pcgrad' (@mtl2r/strategy-pcgrad)`, or `the strategy` when its plugin is unknown. */
export function describeStrategy(strategy: Strategy): string {
  const plugin = origins.get(strategy);
  if (plugin === undefined) return 'the strategy';
  return plugin.packageName === undefined
    ? `strategy '${plugin.id}'`
    : `strategy '${plugin.id}' (${plugin.packageName})`;
}
