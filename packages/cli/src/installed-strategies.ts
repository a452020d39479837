import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StrategyPlugin } from '@mtl2r/core';
import {
  findInstalledStrategyPackages,
  type InstalledStrategyPackage,
  loadStrategyPlugin,
} from '@mtl2r/core/node';

export interface InstalledStrategy {
  package: InstalledStrategyPackage;
  plugin?: StrategyPlugin<unknown>;
  /** Why the package could not be loaded as a plugin. */
  error?: string;
}

/** The CLI's own folder: plugins it can see from its install (e.g. through the `mtl2r` meta package). */
export const cliDir = dirname(fileURLToPath(import.meta.url));

/** Further folders whose plugins count as installed (the `mtl2r` meta package passes its own). */
const extraPluginDirs: string[] = [];

/** Adds folders to search for plugins, after the working directory and before the CLI's own folder. */
export function addPluginSearchDirs(dirs: readonly string[]): void {
  for (const dir of dirs) if (!extraPluginDirs.includes(dir)) extraPluginDirs.push(dir);
}

/**
 * Strategy packages the user has: the dependencies of the project around the working directory (its nearest
 * package.json and node_modules), then the extra search folders and the CLI's own; each loaded.
 */
export async function installedStrategies(cwd: string): Promise<InstalledStrategy[]> {
  const byName = new Map<string, InstalledStrategyPackage>();
  for (const dir of [cwd, ...extraPluginDirs, cliDir]) {
    for (const pkg of findInstalledStrategyPackages(dir))
      if (!byName.has(pkg.name)) byName.set(pkg.name, pkg);
  }
  const result: InstalledStrategy[] = [];
  for (const pkg of [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    try {
      result.push({ package: pkg, plugin: await loadStrategyPlugin(pkg.name, pkg.fromDir) });
    } catch (error) {
      result.push({ package: pkg, error: (error as Error).message.split('\n')[0] as string });
    }
  }
  return result;
}
