import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { acquireRunLock, RUN_LOCK_FILE } from './run-lock.js';

/** A real second process that takes the lock on `dir`, prints 'locked' (or the error) and holds it. */
function holder(dir: string) {
  const script = join(mkdtempSync(join(tmpdir(), 'mtl2r-lock-script-')), 'hold.mjs');
  const module = pathToFileURL(join(import.meta.dirname, 'run-lock.ts')).href;
  writeFileSync(
    script,
    `import { acquireRunLock } from ${JSON.stringify(module)};
try { acquireRunLock(process.argv[2]); console.log('locked'); setTimeout(() => {}, 60_000); }
catch (error) { console.log(error.message); process.exit(2); }\n`,
  );
  const child = spawn(process.execPath, ['--conditions=@mtl2r/source', '--import', 'tsx', script, dir], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const said = new Promise<string>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('close', () => resolve(out.trim()));
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, said, closed };
}

describe('run lock', () => {
  it('two processes: the second is refused naming the first; a killed holder is taken over with a note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtl2r-lock-'));
    const first = holder(dir);
    expect(await first.said).toBe('locked');
    const pid = first.child.pid as number;

    const second = holder(dir);
    expect(await second.said).toMatch(
      new RegExp(
        `^run directory is in use: .*${RUN_LOCK_FILE} is held by process ${pid} on ${hostname()} \\(started `,
      ),
    );
    expect(await second.closed).toBe(2);
    expect(() => acquireRunLock(dir)).toThrow(UserError);

    first.child.kill('SIGKILL');
    await first.closed;
    const notes: string[] = [];
    const lock = acquireRunLock(dir, (note) => notes.push(note));
    expect(notes).toEqual([
      `${join(dir, RUN_LOCK_FILE)} was left by process ${pid} on ${hostname()}, which is no longer running; took it over`,
    ]);
    expect(JSON.parse(readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    // No leftovers of the takeover.
    expect(existsSync(lock.file)).toBe(true);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
  });

  it('refuses a second run in the same process, and releases only its own lock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtl2r-lock-'));
    const lock = acquireRunLock(dir);
    expect(() => acquireRunLock(dir)).toThrow(`is held by process ${process.pid} on ${hostname()}`);
    // Someone else's lock now sits there (e.g. after a takeover): releasing ours leaves it alone.
    writeFileSync(lock.file, JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'x', command: 'y' }));
    lock.release();
    expect(existsSync(lock.file)).toBe(true);
    expect(() => acquireRunLock(dir)).toThrow(/held by process 1 on elsewhere \(started x: y\)/);
  });

  it('an unreadable lock file is left alone while it may be being written, taken over once old', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtl2r-lock-'));
    const file = join(dir, RUN_LOCK_FILE);
    writeFileSync(file, '{"pi');
    expect(() => acquireRunLock(dir)).toThrow('is held by another process (its lock file is being written)');
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const notes: string[] = [];
    const lock = acquireRunLock(dir, (note) => notes.push(note));
    expect(notes).toEqual([`${file} held no owner (a crash while it was written); took it over`]);
    lock.release();
  });
});
