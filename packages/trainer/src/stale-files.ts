import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunPaths } from './run-directory.js';

const STATE_FILE = 'state.json';
const LEFTOVER = /\.(tmp|old)-|\.lock\.stale-/;

/**
 * Tidies what a crash left in a run directory; call it while holding the run's lock (no writer is
 * running). A checkpoint cut between its two renames is first put back from its complete `*.old-*`
 * copy (as `best`/`last`, or as their `.previous` copy); then every `*.tmp-*` and `*.old-*` file or
 * folder is removed. Returns the names removed.
 */
export function cleanStaleFiles(paths: RunPaths): string[] {
  const removed: string[] = [];
  const checkpoints = join(paths.dir, 'checkpoints');
  if (existsSync(checkpoints)) {
    for (const name of ['best', 'last']) restoreInterruptedSwap(checkpoints, name);
    removed.push(...removeLeftovers(checkpoints).map((n) => `checkpoints/${n}`));
  }
  if (existsSync(paths.dir)) removed.push(...removeLeftovers(paths.dir));
  return removed;
}

function restoreInterruptedSwap(parent: string, name: string): void {
  const complete = readdirSync(parent)
    .filter((entry) => entry.startsWith(`${name}.old-`) && existsSync(join(parent, entry, STATE_FILE)))
    .sort()
    .reverse();
  const newest = complete[0];
  if (newest === undefined) return;
  if (!existsSync(join(parent, name, STATE_FILE))) {
    rmSync(join(parent, name), { recursive: true, force: true });
    renameSync(join(parent, newest), join(parent, name));
  } else if (!existsSync(join(parent, `${name}.previous`, STATE_FILE))) {
    rmSync(join(parent, `${name}.previous`), { recursive: true, force: true });
    renameSync(join(parent, newest), join(parent, `${name}.previous`));
  }
}

function removeLeftovers(dir: string): string[] {
  const names = readdirSync(dir).filter((name) => LEFTOVER.test(name));
  for (const name of names) rmSync(join(dir, name), { recursive: true, force: true });
  return names;
}
