import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StrategyPlugin } from './contract.js';
import { PluginError } from './errors.js';
import { candidatePackages, isPathSpec, type PluginKind } from './plugin-spec.js';
import { assertStrategyPlugin } from './registry.js';

/** A plugin module's export, and where it came from (for error messages). */
export interface LoadedPluginModule {
  value: unknown;
  /** `package mtl2r-strategy-gradvac` or `file /abs/path.js`. */
  source: string;
  /** The package it was loaded from, when loaded by name. */
  packageName?: string;
}

/** Resolves `name` from `fromDir` the way Node does; `undefined` when it is not installed there. */
function resolvePackage(name: string, fromDir: string): string | undefined {
  try {
    return createRequire(join(fromDir, 'noop.js')).resolve(name);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND') return undefined;
    if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new PluginError(
        `package ${name} is installed but cannot be loaded: its package.json "exports" has no "default" condition for "."`,
        { hint: 'a plugin package exports its entry as { "types": ..., "default": "./dist/index.js" }' },
      );
    }
    throw error;
  }
}

/**
 * Imports a plugin module by short id, package name or file path, resolved from `fromDir`. A short id tries
 * `@mtl2r/<kind>-<id>`, `mtl2r-<kind>-<id>`, then the id as a package name; a failure names every package
 * tried, and an error thrown while the plugin's own code loads is reported as the plugin's, with its message.
 */
export async function loadPluginModule(
  spec: string,
  kind: PluginKind,
  fromDir = process.cwd(),
): Promise<LoadedPluginModule> {
  if (spec.trim() === '') throw new PluginError(`empty ${kind} plugin name`);
  let url: string;
  let source: string;
  let packageName: string | undefined;
  if (isPathSpec(spec)) {
    const file = spec.startsWith('file:') ? new URL(spec).pathname : resolve(fromDir, spec);
    if (!existsSync(file)) throw new PluginError(`${kind} plugin file not found: ${file}`);
    url = pathToFileURL(file).href;
    source = `file ${file}`;
  } else {
    const tried = candidatePackages(spec, kind);
    for (const name of tried) {
      const entry = resolvePackage(name, fromDir);
      if (entry === undefined) continue;
      packageName = name;
      url = pathToFileURL(entry).href;
      break;
    }
    if (packageName === undefined) {
      throw new PluginError(
        `${kind} '${spec}' is not installed: cannot find package ${tried.join(' or ')} from ${fromDir}`,
        { hint: `install it: pnpm add ${tried[tried.length > 1 ? 1 : 0]} (or ${tried[0]} for mtl2r's own)` },
      );
    }
    source = `package ${packageName}`;
  }
  let mod: { default?: unknown; plugin?: unknown };
  try {
    mod = (await import(url!)) as typeof mod;
  } catch (error) {
    // The plugin was found; its own code (or one of its dependencies) failed: show that error.
    const message = error instanceof Error ? error.message : String(error);
    throw new PluginError(`${source} was found but failed to load: ${message}`, {
      cause: error,
      hint: 'the error comes from the plugin or its dependencies; check that they are installed and built',
    });
  }
  const value = mod.default ?? mod.plugin;
  if (value === undefined) {
    throw new PluginError(
      `${source} has no default export; a ${kind} plugin module must export default its plugin object`,
    );
  }
  return { value, source, ...(packageName === undefined ? {} : { packageName }) };
}

/**
 * Loads a strategy plugin by short id (`pcgrad` -> `@mtl2r/strategy-pcgrad` or `mtl2r-strategy-pcgrad`),
 * package name or file path, resolved from `fromDir` (default: the current directory). The module's default
 * export (or a named export `plugin`) must be a strategy plugin.
 */
export async function loadStrategyPlugin(
  spec: string,
  fromDir = process.cwd(),
): Promise<StrategyPlugin<unknown>> {
  const loaded = await loadPluginModule(spec, 'strategy', fromDir);
  assertStrategyPlugin(loaded.value, `the default export of ${loaded.source}`);
  return loaded.value;
}
