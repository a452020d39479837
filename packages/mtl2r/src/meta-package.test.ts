import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findInstalledStrategyPackages } from '@mtl2r/core/node';
import { describe, expect, it } from 'vitest';
import { metaPackageDir } from './index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(metaPackageDir, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const pluginNames = readdirSync(join(repoRoot, 'plugins'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map(
    (entry) =>
      (
        JSON.parse(readFileSync(join(repoRoot, 'plugins', entry.name, 'package.json'), 'utf8')) as {
          name: string;
        }
      ).name,
  )
  .sort();

describe('the mtl2r meta package', () => {
  it('depends on every package under plugins/, the CLI and the bundled datasets', () => {
    const missing = pluginNames.filter((name) => manifest.dependencies[name] === undefined);
    expect(missing, 'add these to packages/mtl2r/package.json dependencies').toEqual([]);
    expect(manifest.dependencies['@mtl2r/cli']).toBeDefined();
    expect(manifest.dependencies['@mtl2r/datasets']).toBeDefined();
  });

  it('makes every first-party plugin visible to the CLI from its own folder', () => {
    const found = findInstalledStrategyPackages(metaPackageDir).map((p) => p.name);
    expect(found).toEqual(expect.arrayContaining(pluginNames));
  });
});
