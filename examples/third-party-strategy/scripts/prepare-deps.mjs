// Prepares what this example's tests need, the way an outsider would have it: the mtl2r packages it
// uses (and everything they depend on) built and packed into .tarballs/ (pnpm pack rewrites workspace:
// ranges to real versions, as publishing does), then installed here under their published names
// (.pnpmfile.cjs maps each @mtl2r/* name to its tarball). MTL2R_SKIP_BUILD=1 skips the build.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const root = join(here, '..', '..');
const tarballs = join(here, '.tarballs');
const run = (cwd, command, args) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });

// The mtl2r packages this example names, and (through pnpm's "name..." filter) their workspace closure.
const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const wanted = Object.keys({
  ...manifest.dependencies,
  ...manifest.peerDependencies,
  ...manifest.devDependencies,
}).filter((name) => name.startsWith('@mtl2r/') || name === 'mtl2r');
const filters = wanted.map((name) => `${name}...`);

if (process.env.MTL2R_SKIP_BUILD !== '1') {
  console.log(`building ${wanted.join(', ')} and their dependencies (turbo caches unchanged packages)`);
  run(root, 'pnpm', ['exec', 'turbo', 'run', 'build', ...filters.map((f) => `--filter=${f}`)]);
}

const listing = JSON.parse(
  execFileSync('pnpm', [...filters.flatMap((f) => ['--filter', f]), 'ls', '--depth', '-1', '--json'], {
    cwd: root,
    encoding: 'utf8',
  }),
);
const published = listing.filter((pkg) => pkg.private !== true && pkg.name !== undefined);
rmSync(tarballs, { recursive: true, force: true });
mkdirSync(tarballs, { recursive: true });
console.log(`packing ${published.length} packages into ${tarballs}`);
for (const pkg of published) {
  execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: pkg.path, stdio: 'ignore' });
}

console.log('installing this example from the tarballs');
// No lockfile is kept for the example: the tarballs change with the monorepo.
run(here, 'pnpm', ['install', '--no-frozen-lockfile', '--config.confirmModulesPurge=false']);
