#!/usr/bin/env node
// `pnpm install` runs this for @mtl2r/backend: build the native addon (binding.gyp) with node-gyp when no
// prebuilt binary fits this machine. It never fails the install: without a C compiler (or when the build
// breaks) the backend uses its wasm kernels, and native-status.json says why, for `mtl2r doctor`.
//
//   node scripts/install-native.mjs           build unless a prebuild or an earlier build loads
//   node scripts/install-native.mjs --force   always rebuild (pnpm --filter @mtl2r/backend build:native)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, 'package.json'));
const force = process.argv.includes('--force');
const statusFile = join(root, 'build', 'native-status.json');

function finish(status) {
  mkdirSync(dirname(statusFile), { recursive: true });
  writeFileSync(statusFile, `${JSON.stringify({ ...status, at: new Date().toISOString() }, null, 2)}\n`);
  console.log(`@mtl2r/backend native addon: ${status.built ? 'ready' : 'not built'} (${status.detail})`);
  process.exit(0);
}

function loads() {
  try {
    const addon = require('node-gyp-build')(root);
    return typeof addon.gemm === 'function' ? addon : undefined;
  } catch {
    return undefined;
  }
}

function has(command, args = ['--version']) {
  if (command === undefined || command === '') return false;
  return spawnSync(command, args, { stdio: 'ignore', shell: process.platform === 'win32' }).status === 0;
}

// Anything unexpected still leaves a working install (wasm kernels) and a status for `mtl2r doctor`.
process.on('uncaughtException', (error) => {
  finish({ built: false, detail: `install script error: ${error.message}`, missing: [] });
});

if (process.env.MTL2R_NATIVE_GEMM === '0' && !force) {
  finish({ built: false, detail: 'skipped: MTL2R_NATIVE_GEMM=0 at install', missing: [] });
}
if (!force) {
  const addon = loads();
  if (addon !== undefined)
    finish({ built: true, detail: `found a loadable binary (${addon.info().kernel})` });
}

const compiler = [process.env.CC, 'cc', 'gcc', 'clang'].find((c) => has(c));
const cxx = [process.env.CXX, 'c++', 'g++', 'clang++'].find((c) => has(c));
const missing = [
  ...(compiler === undefined ? ['a C compiler (cc, gcc or clang)'] : []),
  ...(cxx === undefined ? ['a C++ compiler driver (c++, for linking)'] : []),
  ...(has('make') ? [] : ['make']),
  ...(has(process.env.PYTHON ?? 'python3') ? [] : ['python3']),
];
if (missing.length > 0) finish({ built: false, detail: `missing ${missing.join(', ')}`, missing });

let nodeGyp;
try {
  nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  nodeGyp = process.env.npm_config_node_gyp;
}
if (nodeGyp === undefined || !existsSync(nodeGyp)) {
  finish({ built: false, detail: 'node-gyp is not installed', missing: ['node-gyp'] });
}

// Node's own headers, when the Node install ships them (distribution packages, official tarballs), so the
// build needs no download; otherwise node-gyp fetches them.
const prefix = dirname(dirname(process.execPath));
const nodedir = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
const build = spawnSync(process.execPath, [nodeGyp, 'rebuild', '--jobs=2', ...nodedir], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, npm_config_loglevel: 'warn' },
});
if (build.status !== 0) {
  const tail = `${build.stdout ?? ''}\n${build.stderr ?? ''}`.trim().split('\n').slice(-12).join('\n');
  console.log(tail);
  const why = tail.split('\n').find((l) => /error/i.test(l)) ?? `exit ${build.status}`;
  finish({ built: false, detail: `node-gyp failed: ${why.trim().slice(0, 200)}`, missing: [] });
}
const addon = loads();
if (addon === undefined) finish({ built: false, detail: 'built, but the addon does not load', missing: [] });
const { kernel, isa, openblas } = addon.info();
const runs = kernel === 'openblas' ? 'OpenBLAS sgemm' : `mtl2r sgemm (${isa})`;
finish({ built: true, detail: `compiled here, runs ${runs}${openblas ? '; OpenBLAS linked (static)' : ''}` });
