// Resolves every @mtl2r/* dependency to a tarball packed from the monorepo (.tarballs/, made by
// scripts/prepare-deps.mjs), the way CI tests what an outsider would install. An outsider deletes this file.
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const dir = join(__dirname, '.tarballs');
const tarballs = new Map();
if (existsSync(dir)) {
  for (const file of readdirSync(dir)) {
    // mtl2r-core-1.0.0.tgz -> @mtl2r/core; mtl2r-1.0.0.tgz -> mtl2r
    const match = /^(mtl2r(?:-[a-z0-9-]+?)?)-\d+\.\d+\.\d+.*\.tgz$/.exec(file);
    if (match === null) continue;
    const name = match[1] === 'mtl2r' ? 'mtl2r' : `@mtl2r/${match[1].slice('mtl2r-'.length)}`;
    tarballs.set(name, `file:${join(dir, file)}`);
  }
}

function readPackage(pkg) {
  // peerDependencies stay ranges: they are satisfied by the tarballs installed for the other fields.
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const deps = pkg[field];
    if (deps === undefined) continue;
    for (const name of Object.keys(deps)) {
      const tarball = tarballs.get(name);
      if (tarball !== undefined) deps[name] = tarball;
    }
  }
  return pkg;
}

module.exports = { hooks: { readPackage } };
