import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const scripts = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts');
const scratch = mkdtempSync(join(tmpdir(), 'mtl2r-install-native-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('install-native.mjs', () => {
  it('never fails the install: without build tools it records what is missing and exits 0', () => {
    const root = join(scratch, 'backend');
    mkdirSync(join(root, 'scripts'), { recursive: true });
    copyFileSync(join(scripts, 'install-native.mjs'), join(root, 'scripts', 'install-native.mjs'));
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'install-native.mjs'), '--force'], {
      encoding: 'utf8',
      env: { PATH: join(scratch, 'no-tools'), CC: '', CXX: '' },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/native addon: not built \(missing a C compiler .*make, python3\)/);
    const status = JSON.parse(readFileSync(join(root, 'build', 'native-status.json'), 'utf8')) as {
      built: boolean;
      missing: string[];
    };
    expect(status.built).toBe(false);
    expect(status.missing).toContain('make');
  });
});

describe('find-openblas.mjs', () => {
  it('prints nothing when told not to link OpenBLAS, and the static archive it was given', async () => {
    const { findOpenBlas } = (await import(join(scripts, 'find-openblas.mjs'))) as {
      findOpenBlas(env: Record<string, string | undefined>): string;
    };
    expect(findOpenBlas({ MTL2R_OPENBLAS: '0' })).toBe('');
    const archive = join(scratch, 'libopenblas.a');
    copyFileSync(join(scripts, 'find-openblas.mjs'), archive); // any existing file stands in
    expect(findOpenBlas({ MTL2R_OPENBLAS: archive })).toBe(archive);
    expect(findOpenBlas({})).toMatch(/(^$)|libopenblas\.a$/);
  });
});
