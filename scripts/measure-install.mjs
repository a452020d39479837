#!/usr/bin/env node
// Measures what users install: for each setup, a fresh project that installs mtl2r packages packed from a
// built checkout (pnpm pack: workspace: ranges become real versions, as when published) plus their
// registry dependencies; prints installed size and package count. Usage:
//   node scripts/measure-install.mjs [checkout dir (default: this repo)] [--json]
// The checkout must be built (pnpm build). Needs the npm registry (or a warm pnpm store).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const json = args.includes('--json');
const root = resolve(
  args.find((a) => !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), '..'),
);

/** Setups to measure: name -> dependencies (only those whose mtl2r packages exist in the checkout). */
const setups = {
  'downstream app (core + one plugin)': ['@mtl2r/core', '@mtl2r/strategy-ls', '@tensorflow/tfjs-core@4.22.0'],
  'plugin author (core + testkit)': [
    '@mtl2r/core',
    '@mtl2r/strategy-testkit',
    '@tensorflow/tfjs-core@4.22.0',
    'vitest@~4.1.12',
  ],
  'CLI only (@mtl2r/cli)': ['@mtl2r/cli', '@tensorflow/tfjs-core@4.22.0'],
  'everything (mtl2r meta package)': ['mtl2r', '@tensorflow/tfjs-core@4.22.0'],
};

const work = mkdtempSync(join(tmpdir(), 'mtl2r-install-size-'));
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
const listing = JSON.parse(
  execFileSync('pnpm', ['-r', 'ls', '--depth', '-1', '--json'], { cwd: root, encoding: 'utf8' }),
);
const packed = new Map();
for (const pkg of listing) {
  if (pkg.private === true || pkg.name === undefined) continue;
  const before = new Set(readdirSync(tarballs));
  execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: pkg.path, stdio: 'ignore' });
  const file = readdirSync(tarballs).find((f) => !before.has(f));
  packed.set(pkg.name, join(tarballs, file));
}

// Every mtl2r name, wherever it appears in the graph, resolves to its tarball.
const pnpmfile = `const tarballs = ${JSON.stringify(Object.fromEntries([...packed].map(([n, f]) => [n, `file:${f}`])))};
module.exports = { hooks: { readPackage(pkg) {
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies'])
    for (const name of Object.keys(pkg[field] ?? {})) if (tarballs[name]) pkg[field][name] = tarballs[name];
  return pkg;
} } };
`;

function sizeOf(dir) {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

const rows = [];
for (const [name, deps] of Object.entries(setups)) {
  const names = deps.map((d) => (d.lastIndexOf('@') > 0 ? d.slice(0, d.lastIndexOf('@')) : d));
  const missing = names.filter((n) => (n.startsWith('@mtl2r/') || n === 'mtl2r') && !packed.has(n));
  if (missing.length > 0) {
    rows.push({ setup: name, note: `not in this checkout: ${missing.join(', ')}` });
    continue;
  }
  const project = join(work, name.replace(/[^a-z0-9]+/gi, '-'));
  mkdirSync(project);
  const dependencies = Object.fromEntries(
    deps.map((d, i) => [
      names[i],
      packed.get(names[i]) ? `file:${packed.get(names[i])}` : d.slice(names[i].length + 1),
    ]),
  );
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'measure', private: true, dependencies }),
  );
  writeFileSync(join(project, '.pnpmfile.cjs'), pnpmfile);
  writeFileSync(join(project, 'pnpm-workspace.yaml'), 'packages: [.]\n');
  execFileSync('pnpm', ['install', '--no-frozen-lockfile', '--ignore-scripts', '--reporter=silent'], {
    cwd: project,
    stdio: 'inherit',
  });
  const store = join(project, 'node_modules', '.pnpm');
  const packages = existsSync(store)
    ? readdirSync(store).filter((d) => d !== 'node_modules' && !d.startsWith('lock')).length
    : 0;
  rows.push({ setup: name, megabytes: sizeOf(join(project, 'node_modules')) / 1e6, packages });
}
rmSync(work, { recursive: true, force: true });

if (json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(`installed from ${root}\n`);
  console.log('| setup | installed size | packages |\n| --- | ---: | ---: |');
  for (const row of rows) {
    console.log(
      row.note === undefined
        ? `| ${row.setup} | ${row.megabytes.toFixed(1)} MB | ${row.packages} |`
        : `| ${row.setup} | ${row.note} | |`,
    );
  }
}
