import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PluginError } from './errors.js';
import { findInstalledStrategyPackages, loadStrategyPlugin, packageForSpec } from './load-plugin.js';

const fixtures = fileURLToPath(new URL('../test-fixtures/', import.meta.url));

/** A throwaway project with node_modules holding strategy packages. */
function fakeProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'mtl2r-load-'));
  const write = (name: string, version: string, source: string) => {
    const dir = join(root, 'node_modules', ...name.split('/'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name, version, type: 'module', main: 'index.js' }),
    );
    writeFileSync(join(dir, 'index.js'), source);
  };
  const plugin = (id: string) =>
    `export default { id: '${id}', contractVersion: 1, family: 'weighting', paretoFront: false, needs: { grads: 'none' }, options: { '~standard': { version: 1, vendor: 'x', validate: (value) => ({ value }) } }, create: () => ({}) };`;
  write('@mtl2r/strategy-soft-wc', '1.2.0', plugin('soft_wc'));
  write('mtl2r-strategy-thirdparty', '0.1.0', plugin('thirdparty'));
  write('@acme/mtl2r-strategy-acme', '2.0.0', plugin('acme'));
  write('@mtl2r/strategy-broken', '1.0.0', 'export default 42;');
  write('unrelated', '1.0.0', 'export default 1;');
  return root;
}

describe('loadStrategyPlugin', () => {
  it('loads by file path', async () => {
    const plugin = await loadStrategyPlugin('./good-plugin.mjs', fixtures);
    expect(plugin.id).toBe('fixture_equal');
  });

  it('loads by short name and by package name', async () => {
    const root = fakeProject();
    expect((await loadStrategyPlugin('soft_wc', root)).id).toBe('soft_wc');
    expect((await loadStrategyPlugin('@acme/mtl2r-strategy-acme', root)).id).toBe('acme');
    expect(packageForSpec('pcgrad')).toBe('@mtl2r/strategy-pcgrad');
  });

  it('says what to install when the package is missing', async () => {
    const attempt = loadStrategyPlugin('nashmtl', fakeProject());
    await expect(attempt).rejects.toBeInstanceOf(PluginError);
    await expect(attempt).rejects.toThrow(
      "strategy 'nashmtl' is not installed: cannot find package @mtl2r/strategy-nashmtl",
    );
  });

  it('explains when the default export is not a plugin', async () => {
    await expect(loadStrategyPlugin('./not-a-plugin.mjs', fixtures)).rejects.toThrow(
      /the default export of file .*not-a-plugin\.mjs is not a strategy plugin:\n {2}- id must be/,
    );
    await expect(loadStrategyPlugin('./no-default.mjs', fixtures)).rejects.toThrow('has no default export');
    await expect(loadStrategyPlugin('broken', fakeProject())).rejects.toThrow(
      'expected an object, got number',
    );
    await expect(loadStrategyPlugin('./missing.mjs', fixtures)).rejects.toThrow(
      'strategy plugin file not found',
    );
  });
});

describe('findInstalledStrategyPackages', () => {
  it('finds first- and third-party strategy packages and nothing else', () => {
    const found = findInstalledStrategyPackages(join(fakeProject(), 'sub', 'dir'));
    expect(found.map((p) => `${p.name}@${p.version}`)).toEqual([
      '@acme/mtl2r-strategy-acme@2.0.0',
      '@mtl2r/strategy-broken@1.0.0',
      '@mtl2r/strategy-soft-wc@1.2.0',
      'mtl2r-strategy-thirdparty@0.1.0',
    ]);
  });
});
