import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPaths } from './run-directory.js';
import { cleanStaleFiles } from './stale-files.js';

/** A checkpoint folder with a state file marks it complete (all cleanStaleFiles looks at). */
function checkpoint(dir: string, step: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ step }));
}

describe('cleanStaleFiles', () => {
  it('removes temporaries of a crash and keeps complete checkpoints', () => {
    const paths = runPaths(mkdtempSync(join(tmpdir(), 'mtl2r-stale-')));
    checkpoint(paths.last, 4);
    checkpoint(`${paths.last}.previous`, 2);
    mkdirSync(join(`${paths.last}.tmp-1-a`, 'model'), { recursive: true }); // cut while writing
    mkdirSync(`${paths.best}.old-1-b`, { recursive: true }); // incomplete
    writeFileSync(`${paths.metrics}.tmp-1-c`, 'partial');
    writeFileSync(join(paths.dir, 'run.lock.stale-1-d'), '{}');
    expect(cleanStaleFiles(paths).sort()).toEqual([
      'checkpoints/best.old-1-b',
      'checkpoints/last.tmp-1-a',
      'metrics.jsonl.tmp-1-c',
      'run.lock.stale-1-d',
    ]);
    expect(readdirSync(join(paths.dir, 'checkpoints')).sort()).toEqual(['last', 'last.previous']);
  });

  it('puts back a checkpoint cut between its renames before removing anything', () => {
    const paths = runPaths(mkdtempSync(join(tmpdir(), 'mtl2r-stale-')));
    // Killed after "last -> last.old-*" and before "tmp -> last": the old one is the checkpoint.
    checkpoint(`${paths.last}.old-7-x`, 6);
    mkdirSync(`${paths.last}.tmp-7-x`, { recursive: true });
    // Killed after "tmp -> best" and before "best.old-* -> best.previous": the old one is the previous copy.
    checkpoint(paths.best, 9);
    checkpoint(`${paths.best}.old-8-y`, 5);
    cleanStaleFiles(paths);
    expect(readdirSync(join(paths.dir, 'checkpoints')).sort()).toEqual(['best', 'best.previous', 'last']);
    expect(existsSync(join(paths.last, 'state.json'))).toBe(true);
    expect(existsSync(join(`${paths.best}.previous`, 'state.json'))).toBe(true);
  });
});
