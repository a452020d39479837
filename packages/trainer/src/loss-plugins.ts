import { isAbsolute, resolve } from 'node:path';
import { type ConfigIssue, isUserError } from '@mtl2r/core';
import { isPathSpec, loadPluginModule } from '@mtl2r/core/node';
import { assertLossPlugin, LossRegistry } from '@mtl2r/losses';
import type { LossSpec } from './config.js';

/** A loss spec's `plugin` as a run directory records it: file paths absolute (relative to the config). */
export function resolveLossPluginPath(spec: LossSpec, configDir: string): LossSpec {
  if (spec.plugin === undefined || !isPathSpec(spec.plugin) || isAbsolute(spec.plugin)) return spec;
  return { ...spec, plugin: resolve(configDir, spec.plugin) };
}

/**
 * mtl2r's own losses plus every loss the config loads by package or file (`losses[k].plugin`), as a strategy
 * comes from a plugin: a package name (`mtl2r-loss-squared-hinge`, `@acme/loss`), a short id (tries
 * `@mtl2r/loss-<id>`, then `mtl2r-loss-<id>`) or a file path. The plugin must provide `losses[k].name`.
 * Problems are added to `issues` with their config paths.
 */
export async function lossRegistryFor(
  specs: readonly LossSpec[],
  configDir: string,
  issues: ConfigIssue[],
): Promise<LossRegistry> {
  const registry = new LossRegistry();
  for (const [k, spec] of specs.entries()) {
    if (spec.plugin === undefined) continue;
    try {
      const loaded = await loadPluginModule(spec.plugin, 'loss', configDir);
      assertLossPlugin(loaded.value, `the default export of ${loaded.source}`);
      if (loaded.value.name !== spec.name) {
        issues.push({
          path: `losses[${k}].name`,
          message: `${loaded.source} provides loss '${loaded.value.name}', not '${spec.name}'`,
        });
        continue;
      }
      registry.use(loaded.value);
    } catch (error) {
      if (!isUserError(error)) throw error;
      issues.push({
        path: `losses[${k}].plugin`,
        message: `${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}`,
      });
    }
  }
  return registry;
}
