import { PluginError } from '@mtl2r/core';
import { builtinMetricPlugins } from './builtin-metrics.js';
import { assertMetricPlugin, type MetricPlugin } from './metric-plugin.js';

// Names configs already give a meaning that no plugin may take over.
const RESERVED_NAMES: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    p: "mtl2r's precision (p@k)",
    delta_m: 'the multi-task summary of early stopping',
  }),
);

/**
 * The metrics a run can name: mtl2r's own five (unless `builtins: false`) plus any registered with `use`,
 * as a loss registry holds losses. Names are unique; the same plugin object twice is a no-op.
 * `parseMetric`, `validateMetricSpec` and `evaluateRanking` take one where a plugin's name must resolve.
 */
export class MetricRegistry {
  private readonly plugins = new Map<string, MetricPlugin<unknown>>();

  constructor(options: { builtins?: boolean } = {}) {
    if (options.builtins !== false) for (const plugin of builtinMetricPlugins) this.use(plugin);
  }

  use<Options>(plugin: MetricPlugin<Options>): this {
    assertMetricPlugin(plugin, `metricRegistry.use(${typeof plugin})`);
    const reserved = RESERVED_NAMES[plugin.name];
    if (reserved !== undefined) {
      throw new PluginError(
        `cannot register metric '${plugin.name}'${plugin.packageName === undefined ? '' : ` (${plugin.packageName})`}: the name is reserved for ${reserved}`,
      );
    }
    const existing = this.plugins.get(plugin.name);
    if (existing === (plugin as MetricPlugin<unknown>)) return this;
    if (existing !== undefined) {
      throw new PluginError(
        `cannot register metric '${plugin.name}'${plugin.packageName === undefined ? '' : ` (${plugin.packageName})`}: the name is taken by ${existing.packageName ?? 'another metric'}`,
      );
    }
    this.plugins.set(plugin.name, plugin as MetricPlugin<unknown>);
    return this;
  }

  has(name: string): boolean {
    return this.plugins.has(name);
  }

  /** The plugin of a name, undefined when none is registered. */
  get(name: string): MetricPlugin<unknown> | undefined {
    return this.plugins.get(name);
  }

  /** Registered names, builtins first in their documented order. */
  names(): string[] {
    return [...this.plugins.keys()];
  }

  /** Names registered beyond mtl2r's own. */
  pluginNames(): string[] {
    return this.names().filter((name) => !builtinMetricPlugins.some((p) => p.name === name));
  }
}

/** The registry used when a call gives none: mtl2r's own metrics only. */
export const builtinMetricRegistry: MetricRegistry = new MetricRegistry();
