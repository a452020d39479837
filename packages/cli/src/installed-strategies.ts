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

/** The CLI's own folder: first-party plugins it depends on are visible from here. */
export const cliDir = dirname(fileURLToPath(import.meta.url));

/** Strategy packages visible from the working directory or the CLI itself, loaded. */
export async function installedStrategies(cwd: string): Promise<InstalledStrategy[]> {
  const byName = new Map<string, InstalledStrategyPackage>();
  for (const dir of [cwd, cliDir]) {
    for (const pkg of findInstalledStrategyPackages(dir))
      if (!byName.has(pkg.name)) byName.set(pkg.name, pkg);
  }
  const result: InstalledStrategy[] = [];
  for (const pkg of [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    try {
      result.push({ package: pkg, plugin: await loadStrategyPlugin(pkg.name, dirname(dirname(pkg.dir))) });
    } catch (error) {
      result.push({ package: pkg, error: (error as Error).message.split('\n')[0] });
    }
  }
  return result;
}
