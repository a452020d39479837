#!/usr/bin/env node
// `npm start`: from a fresh clone with only Node and npm, install pnpm (if missing), install the
// workspace, build it, and run the main job. Each step says what it does; any failure stops with its
// exit code.
import { spawnSync } from 'node:child_process';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`mtl2r needs Node >= 20.19; this is ${process.versions.node}`);
  process.exit(2);
}

function run(command, args, { optional = false } = {}) {
  console.log(`\n> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0 && !optional) process.exit(result.status ?? 1);
  return result.status === 0;
}

function hasPnpm() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  return probe.status === 0 && /^10\./.test(probe.stdout.trim());
}

// corepack fails its signature check on some machines, so install pnpm with npm; fall back to npx.
let pnpm = ['pnpm'];
if (!hasPnpm()) {
  if (!run('npm', ['install', '-g', 'pnpm@10'], { optional: true }) || !hasPnpm()) {
    console.log('global install of pnpm failed; using npx pnpm@10 instead');
    pnpm = ['npx', '--yes', 'pnpm@10'];
  }
}
const [bin, ...pre] = pnpm;
const ci = process.env.CI === 'true' || process.env.CI === '1';
run(bin, [...pre, 'install', ...(ci ? ['--frozen-lockfile'] : [])]);
run(bin, [...pre, 'run', 'build']);
// The main job.
run(bin, [...pre, 'run', 'main']);
