import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PluginError } from './errors.js';
import { findInstalledPluginPackages, findInstalledStrategyPackages } from './find-plugin-packages.js';
import { loadStrategyPlugin } from './load-plugin.js';
import { candidatePackages, packageForSpec } from './plugin-spec.js';

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
  write('mtl2r-strategy-throws', '0.1.0', "throw new Error('gradvac needs WebGPU');");
  write('mtl2r-loss-hinge', '0.1.0', 'export default {};');
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({
      name: 'user-app',
      dependencies: { 'mtl2r-strategy-thirdparty': '^0.1.0', unrelated: '1' },
    }),
  );
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

  it('loads an unscoped third-party package by its full name and by its short id', async () => {
    const root = fakeProject();
    expect((await loadStrategyPlugin('mtl2r-strategy-thirdparty', root)).id).toBe('thirdparty');
    expect((await loadStrategyPlugin('thirdparty', root)).id).toBe('thirdparty');
  });

  it('says which packages it tried when none is installed', async () => {
    const attempt = loadStrategyPlugin('nosuchmethod', fakeProject());
    await expect(attempt).rejects.toBeInstanceOf(PluginError);
    await expect(attempt).rejects.toThrow(
      "strategy 'nosuchmethod' is not installed: cannot find package @mtl2r/strategy-nosuchmethod or mtl2r-strategy-nosuchmethod or nosuchmethod",
    );
    await expect(loadStrategyPlugin('mtl2r-strategy-absent', fakeProject())).rejects.toThrow(
      "strategy 'mtl2r-strategy-absent' is not installed: cannot find package mtl2r-strategy-absent from",
    );
  });

  it("shows the plugin's own error when its code fails to load", async () => {
    await expect(loadStrategyPlugin('throws', fakeProject())).rejects.toThrow(
      'package mtl2r-strategy-throws was found but failed to load: gradvac needs WebGPU',
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

describe('candidatePackages', () => {
  it('tries the scoped name, then the unscoped convention, then the id as a package; full names as given', () => {
    expect(candidatePackages('soft_wc')).toEqual([
      '@mtl2r/strategy-soft-wc',
      'mtl2r-strategy-soft-wc',
      'soft_wc',
    ]);
    expect(candidatePackages('mtl2r-strategy-gradvac')).toEqual(['mtl2r-strategy-gradvac']);
    expect(candidatePackages('@acme/gradvac')).toEqual(['@acme/gradvac']);
    expect(candidatePackages('hinge', 'loss')).toEqual(['@mtl2r/loss-hinge', 'mtl2r-loss-hinge', 'hinge']);
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
      'mtl2r-strategy-throws@0.1.0',
    ]);
  });

  it("finds the user's declared dependencies from a subfolder, and other kinds by their own prefix", () => {
    const root = fakeProject();
    const found = findInstalledStrategyPackages(join(root, 'configs'));
    const thirdParty = found.find((p) => p.name === 'mtl2r-strategy-thirdparty');
    expect(thirdParty?.fromDir).toBe(root);
    expect(findInstalledPluginPackages(root, 'loss').map((p) => p.name)).toEqual(['mtl2r-loss-hinge']);
  });

  it("counts the project itself when it is a plugin package (an author in the plugin's own folder)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtl2r-self-'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'mtl2r-strategy-mine',
        version: '0.3.0',
        type: 'module',
        exports: './index.js',
      }),
    );
    writeFileSync(
      join(dir, 'index.js'),
      `export default { id: 'mine', contractVersion: 1, family: 'weighting', paretoFront: false, needs: { grads: 'none' }, options: { '~standard': { version: 1, vendor: 'x', validate: (value) => ({ value }) } }, create: () => ({}) };`,
    );
    const found = findInstalledStrategyPackages(dir);
    expect(found.map((p) => `${p.name}@${p.version}`)).toEqual(['mtl2r-strategy-mine@0.3.0']);
    expect((await loadStrategyPlugin('mine', dir)).id).toBe('mine');
  });
});
