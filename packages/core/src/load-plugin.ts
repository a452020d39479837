import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StrategyPlugin } from './contract.js';
import { PluginError } from './errors.js';
import { assertStrategyPlugin, packageNameForStrategy } from './registry.js';

/** True when a plugin spec names a file rather than a package or short name. */
function isPathSpec(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(m?js|cjs|ts|mts)$/.test(spec);
}

/** The package a spec refers to: a short name (`pcgrad`), or a package name as given. */
export function packageForSpec(spec: string): string {
  return spec.startsWith('@') || spec.includes('/') ? spec : packageNameForStrategy(spec);
}

/**
 * Loads a strategy plugin by short name (`pcgrad` -> `@mtl2r/strategy-pcgrad`), package name or file
 * path, resolved from `fromDir` (default: the current directory). The module's default export (or a named
 * export `plugin`) must be a strategy plugin.
 */
export async function loadStrategyPlugin(
  spec: string,
  fromDir = process.cwd(),
): Promise<StrategyPlugin<unknown>> {
  if (spec.trim() === '') throw new PluginError('empty strategy plugin name');
  let url: string;
  let source: string;
  if (isPathSpec(spec)) {
    const file = resolve(fromDir, spec);
    if (!existsSync(file)) throw new PluginError(`strategy plugin file not found: ${file}`);
    url = pathToFileURL(file).href;
    source = `file ${file}`;
  } else {
    const name = packageForSpec(spec);
    source = `package ${name}`;
    try {
      url = pathToFileURL(createRequire(join(fromDir, 'noop.js')).resolve(name)).href;
    } catch {
      throw new PluginError(
        `strategy '${spec}' is not installed: cannot find package ${name} from ${fromDir}`,
        {
          hint: `install it: pnpm add ${name}`,
        },
      );
    }
  }
  const mod = (await import(url)) as { default?: unknown; plugin?: unknown };
  const candidate = mod.default ?? mod.plugin;
  if (candidate === undefined) {
    throw new PluginError(
      `${source} has no default export; a strategy plugin module must export default its plugin object`,
    );
  }
  assertStrategyPlugin(candidate, `the default export of ${source}`);
  return candidate;
}

export interface InstalledStrategyPackage {
  name: string;
  version: string;
  dir: string;
}

/**
 * Strategy packages visible from `fromDir` (walking up through node_modules folders): `@mtl2r/strategy-*`,
 * `mtl2r-strategy-*` and `@scope/mtl2r-strategy-*`.
 */
export function findInstalledStrategyPackages(fromDir = process.cwd()): InstalledStrategyPackage[] {
  const found = new Map<string, InstalledStrategyPackage>();
  let dir = resolve(fromDir);
  for (;;) {
    const modules = join(dir, 'node_modules');
    if (existsSync(modules)) {
      for (const entry of safeReaddir(modules)) {
        if (entry.startsWith('@')) {
          for (const inner of safeReaddir(join(modules, entry))) {
            const name = `${entry}/${inner}`;
            if (
              (entry === '@mtl2r' && inner.startsWith('strategy-')) ||
              inner.startsWith('mtl2r-strategy-')
            ) {
              addPackage(found, name, join(modules, entry, inner));
            }
          }
        } else if (entry.startsWith('mtl2r-strategy-')) {
          addPackage(found, entry, join(modules, entry));
        }
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function addPackage(found: Map<string, InstalledStrategyPackage>, name: string, dir: string): void {
  if (found.has(name)) return; // the nearest copy wins, as Node's resolution does
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
    found.set(name, { name, version: pkg.version ?? '0.0.0', dir });
  } catch {
    // a folder without a readable package.json is not a package
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
