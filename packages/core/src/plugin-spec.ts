import { isAbsolute } from 'node:path';

/** What a plugin package provides; it fixes the naming convention (`@mtl2r/<kind>-<id>`, `mtl2r-<kind>-<id>`). */
export type PluginKind = 'strategy' | 'loss' | 'metric';

/** True when a plugin spec names a file rather than a package or a short id. */
export function isPathSpec(spec: string): boolean {
  return (
    spec.startsWith('.') ||
    isAbsolute(spec) ||
    spec.startsWith('file:') ||
    /\.(m?js|cjs|ts|mts|cts)$/.test(spec)
  );
}

/** True for a package name that follows mtl2r's naming for this kind: `@mtl2r/strategy-x`, `mtl2r-strategy-x`, `@acme/mtl2r-strategy-x`. */
export function isPluginPackageName(name: string, kind: PluginKind): boolean {
  const unscoped = `mtl2r-${kind}-`;
  if (name.startsWith('@mtl2r/')) return name.startsWith(`@mtl2r/${kind}-`);
  const bare = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return bare.startsWith(unscoped) && bare.length > unscoped.length;
}

/**
 * The packages a spec may name, in the order they are tried (as unified and vitest resolve plugins):
 * a short id `gradvac` tries `@mtl2r/strategy-gradvac`, then `mtl2r-strategy-gradvac`, then `gradvac`
 * itself; a full package name (`mtl2r-strategy-gradvac`, `@acme/anything`) is used as given.
 * Underscores in ids become dashes in package names (`soft_wc` -> `@mtl2r/strategy-soft-wc`).
 */
export function candidatePackages(spec: string, kind: PluginKind = 'strategy'): string[] {
  if (spec.startsWith('@') || spec.includes('/') || isPluginPackageName(spec, kind)) return [spec];
  const slug = spec.replaceAll('_', '-');
  return [`@mtl2r/${kind}-${slug}`, `mtl2r-${kind}-${slug}`, spec];
}

/** The first package a spec is tried as (kept for callers that show one install hint). */
export function packageForSpec(spec: string, kind: PluginKind = 'strategy'): string {
  return candidatePackages(spec, kind)[0] as string;
}
