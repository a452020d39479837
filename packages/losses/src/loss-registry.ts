import { ConfigError, PluginError, type Rng, validateWithSchema } from '@mtl2r/core';
import { assertLossPlugin, LOSS_CONTRACT_VERSION, type LossPlugin } from './loss-plugin.js';
import type { RankingLoss } from './ranking-loss.js';
import { builtinLossDefinitions } from './registry.js';

/** Where a loss sits in the config and its random source; see `createLoss`. */
export interface LossRegistryCreateSettings {
  path?: string;
  rng?: Rng;
}

/** mtl2r's own losses as plugins. */
export const builtinLossPlugins: readonly LossPlugin<unknown>[] = Object.freeze(
  Object.values(builtinLossDefinitions).map(
    (definition): LossPlugin<unknown> => ({
      name: definition.name,
      contractVersion: LOSS_CONTRACT_VERSION,
      options: definition.options,
      packageName: '@mtl2r/losses',
      create: (options, settings) =>
        (definition.create as (o: unknown, s: unknown) => RankingLoss)(options, settings),
    }),
  ),
);

/**
 * The losses a run can name: mtl2r's own (unless `builtins: false`) plus any registered with `use`, as a
 * strategy registry holds strategies. Names are unique; the same plugin object twice is a no-op.
 */
export class LossRegistry {
  private readonly plugins = new Map<string, LossPlugin<unknown>>();

  constructor(options: { builtins?: boolean } = {}) {
    if (options.builtins !== false) for (const plugin of builtinLossPlugins) this.use(plugin);
  }

  use<Options>(plugin: LossPlugin<Options>): this {
    assertLossPlugin(plugin, `lossRegistry.use(${typeof plugin})`);
    const existing = this.plugins.get(plugin.name);
    if (existing === (plugin as LossPlugin<unknown>)) return this;
    if (existing !== undefined) {
      throw new PluginError(
        `cannot register loss '${plugin.name}'${plugin.packageName === undefined ? '' : ` (${plugin.packageName})`}: the name is taken by ${existing.packageName ?? 'another loss'}`,
      );
    }
    this.plugins.set(plugin.name, plugin as LossPlugin<unknown>);
    return this;
  }

  has(name: string): boolean {
    return this.plugins.has(name);
  }

  /** Registered names, builtins first in their documented order. */
  names(): string[] {
    return [...this.plugins.keys()];
  }

  /** Creates a loss by name with validated options; unknown name or bad options: ConfigError at `path`. */
  create(name: string, options: unknown = {}, settings: LossRegistryCreateSettings = {}): RankingLoss {
    const path = settings.path ?? 'loss';
    const plugin = this.plugins.get(name);
    if (plugin === undefined) {
      throw new ConfigError(`unknown loss '${name}'`, [
        {
          path: `${path}.name`,
          message: `expected one of ${this.names().join(', ')} (or give plugin: a package or file)`,
        },
      ]);
    }
    const validated = validateWithSchema(
      plugin.options,
      options ?? {},
      `invalid options for loss '${name}'`,
      `${path}.options`,
    );
    return plugin.create(validated, settings.rng === undefined ? {} : { rng: settings.rng });
  }
}
