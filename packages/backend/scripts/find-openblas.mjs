#!/usr/bin/env node
// Prints the OpenBLAS library binding.gyp links (its static archive, so the addon needs no shared library at
// run time), or nothing: the addon then carries only the portable sgemm.
// MTL2R_OPENBLAS=0 builds without it; MTL2R_OPENBLAS=/path/libopenblas.a picks one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function findOpenBlas(env = process.env) {
  const chosen = env.MTL2R_OPENBLAS;
  if (chosen === '0') return '';
  if (chosen !== undefined && chosen !== '' && existsSync(chosen)) return chosen;
  const dirs = [
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
    '/opt/homebrew/opt/openblas/lib',
    '/usr/local/opt/openblas/lib',
  ];
  // Only the static archive: a shared one would make the addon depend on the machine it was built on.
  return dirs.map((dir) => join(dir, 'libopenblas.a')).find((path) => existsSync(path)) ?? '';
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(findOpenBlas());
