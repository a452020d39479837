import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { isPluginPackageName, type PluginKind } from './plugin-spec.js';

export interface InstalledPluginPackage {
  name: string;
  version: string;
  /** The package's folder. */
  dir: string;
  /** A folder to resolve the package from (its project). */
  fromDir: string;
}

/** Strategy packages: the historical name of `findInstalledPluginPackages(dir, 'strategy')`. */
export type InstalledStrategyPackage = InstalledPluginPackage;

/**
 * Plugin packages of a kind visible from `fromDir`: the nearest package.json's own package when it is one
 * (a plugin author in the plugin's folder), the dependencies (all sections) it declares that follow the naming (`@mtl2r/<kind>-*`, `mtl2r-<kind>-*`, `@scope/mtl2r-<kind>-*`), and
 * such packages in every node_modules folder from `fromDir` up. The nearest copy of a name wins.
 */
export function findInstalledPluginPackages(fromDir: string, kind: PluginKind): InstalledPluginPackage[] {
  const found = new Map<string, InstalledPluginPackage>();
  const start = resolve(fromDir);
  const project = nearestProject(start);
  // A plugin author running mtl2r in the plugin's own folder: the project itself is the plugin.
  if (project !== undefined && isPluginPackageName(project.name, kind)) {
    add(found, project.name, project.dir, project.dir);
  }
  for (const name of project?.dependencies ?? []) {
    if (!isPluginPackageName(name.name, kind) || found.has(name.name)) continue;
    const dir = packageDir(name.name, name.projectDir);
    if (dir !== undefined) add(found, name.name, dir, name.projectDir);
  }
  for (let dir = start; ; dir = dirname(dir)) {
    const modules = join(dir, 'node_modules');
    if (existsSync(modules)) {
      for (const entry of safeReaddir(modules)) {
        const names = entry.startsWith('@')
          ? safeReaddir(join(modules, entry)).map((inner) => `${entry}/${inner}`)
          : [entry];
        for (const name of names)
          if (isPluginPackageName(name, kind)) add(found, name, join(modules, name), dir);
      }
    }
    if (dirname(dir) === dir) break;
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Strategy packages visible from `fromDir` (see `findInstalledPluginPackages`). */
export function findInstalledStrategyPackages(fromDir = process.cwd()): InstalledPluginPackage[] {
  return findInstalledPluginPackages(fromDir, 'strategy');
}

interface NearestProject {
  dir: string;
  name: string;
  dependencies: { name: string; projectDir: string }[];
}

/** The nearest package.json at or above `dir`: its folder, name and dependency names (all sections). */
function nearestProject(dir: string): NearestProject | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const manifest = join(current, 'package.json');
    if (existsSync(manifest)) {
      try {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
        const sections = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
        const names = new Set(
          sections.flatMap((key) => Object.keys((pkg[key] as Record<string, string> | undefined) ?? {})),
        );
        return {
          dir: current,
          name: typeof pkg.name === 'string' ? pkg.name : '',
          dependencies: [...names].map((name) => ({ name, projectDir: current })),
        };
      } catch {
        return undefined;
      }
    }
    if (dirname(current) === current) return undefined;
  }
}

/** The installed folder of `name` as Node resolves it from `fromDir`, or undefined. */
function packageDir(name: string, fromDir: string): string | undefined {
  try {
    return dirname(realpathSync(createRequire(join(fromDir, 'noop.js')).resolve(`${name}/package.json`)));
  } catch {
    // packages that do not export ./package.json: look for the folder directly
    for (let dir = fromDir; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dirname(dir) === dir) return undefined;
    }
  }
}

function add(found: Map<string, InstalledPluginPackage>, name: string, dir: string, fromDir: string): void {
  if (found.has(name)) return; // the nearest copy wins, as Node's resolution does
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
    found.set(name, { name, version: pkg.version ?? '0.0.0', dir, fromDir });
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
