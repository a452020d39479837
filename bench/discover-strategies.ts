/**
 * Every strategy plugin the benchmarks can see, found rather than listed: the workspace's plugins/ folders
 * (loaded from their `@mtl2r/source` entry, so a plugin added a minute ago is measured without a build or an
 * install) and any other strategy package installed for this folder (`findInstalledStrategyPackages`, the
 * discovery `mtl2r strategies` uses). A plugin that fails to load is reported, not fatal.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StrategyPlugin } from '@mtl2r/core';
import { findInstalledStrategyPackages, isPluginPackageName, loadStrategyPlugin } from '@mtl2r/core/node';

export interface DiscoveredStrategy {
  /** The plugin id, or id plus a variant note: `mgda (l2)`. */
  label: string;
  plugin: StrategyPlugin<unknown>;
  options: Record<string, unknown>;
  packageName: string;
}

export interface Discovery {
  strategies: DiscoveredStrategy[];
  /** `package: reason` for each strategy package that could not be loaded. */
  failures: string[];
}

const benchDir = dirname(fileURLToPath(import.meta.url));
const pluginsDir = resolve(benchDir, '..', 'plugins');

/** Extra option sets to measure besides a plugin's defaults, by plugin id (an id not installed is ignored). */
export type Variants = Readonly<
  Record<string, readonly { note: string; options: Record<string, unknown> }[]>
>;

/** The source entry of a workspace package (exports['.']['@mtl2r/source']), if it has one. */
function sourceEntry(dir: string): { name: string; entry: string } | undefined {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    name?: string;
    exports?: Record<string, Record<string, string> | string>;
  };
  const dot = pkg.exports?.['.'];
  const entry = typeof dot === 'object' ? dot['@mtl2r/source'] : undefined;
  if (pkg.name === undefined || entry === undefined) return undefined;
  return { name: pkg.name, entry: join(dir, entry) };
}

export async function discoverStrategies(variants: Variants = {}): Promise<Discovery> {
  const loaded = new Map<string, StrategyPlugin<unknown>>();
  const failures: string[] = [];
  const attempted = new Set<string>();
  const load = async (name: string, spec: string, fromDir: string) => {
    if (attempted.has(name)) return; // one attempt per package: the workspace copy first
    attempted.add(name);
    try {
      loaded.set(name, await loadStrategyPlugin(spec, fromDir));
    } catch (error) {
      failures.push(`${name}: ${((error as Error).message.split('\n')[0] as string).slice(0, 160)}`);
    }
  };
  const workspace = existsSync(pluginsDir) ? readdirSync(pluginsDir).sort() : [];
  for (const folder of workspace) {
    const source = sourceEntry(join(pluginsDir, folder));
    if (source !== undefined && isPluginPackageName(source.name, 'strategy'))
      await load(source.name, source.entry, benchDir);
  }
  for (const pkg of findInstalledStrategyPackages(benchDir)) await load(pkg.name, pkg.name, pkg.fromDir);

  const plugins = [...loaded.entries()].sort(([, a], [, b]) => a.id.localeCompare(b.id));
  const strategies: DiscoveredStrategy[] = [];
  for (const [packageName, plugin] of plugins) {
    strategies.push({ label: plugin.id, plugin, options: {}, packageName });
    for (const { note, options } of variants[plugin.id] ?? [])
      strategies.push({ label: `${plugin.id} (${note})`, plugin, options, packageName });
  }
  return { strategies, failures };
}

/** A preference for plugins that need one: one-hot on task 0 for STL, uniform otherwise. */
export function benchPreference(plugin: StrategyPlugin<unknown>, taskCount: number): number[] | undefined {
  if (plugin.needs.preference !== true) return undefined;
  if (plugin.id === 'stl') return Array.from({ length: taskCount }, (_, k) => (k === 0 ? 1 : 0));
  return new Array<number>(taskCount).fill(1 / taskCount);
}
