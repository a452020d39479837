import {
  closeSync,
  existsSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@mtl2r/core';

/** The lock file inside a run directory: only one process writes a run at a time. */
export const RUN_LOCK_FILE = 'run.lock';

/** What the lock file says about the process holding it. */
export interface RunLockHolder {
  pid: number;
  host: string;
  startedAt: string;
  /** The command line, to tell the user which process it is. */
  command: string;
}

export interface RunLock {
  file: string;
  /** Removes the lock if it is still ours. Safe to call twice. */
  release(): void;
}

/** A lock file without readable content younger than this may be one being written right now. */
const UNREADABLE_GRACE_MS = 10_000;

/**
 * Takes the run directory's lock, created with O_EXCL so two processes can never both hold it. A lock
 * left by a dead process on this host (a SIGKILL, a crash) is taken over, and `onNote` says so; a live
 * holder, or one on another host (whose liveness cannot be checked), makes this throw a UserError naming it.
 */
export function acquireRunLock(dir: string, onNote: (message: string) => void = () => {}): RunLock {
  const file = join(dir, RUN_LOCK_FILE);
  const me: RunLockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.slice(1).join(' '),
  };
  const text = `${JSON.stringify(me)}\n`;
  if (!tryCreate(file, text)) {
    const found = readHolder(file);
    if (found === 'gone') {
      if (!tryCreate(file, text)) throw busy(file, readHolder(file));
    } else if (isStale(file, found)) {
      takeOver(file, found, text);
      onNote(
        found === 'unreadable'
          ? `${file} held no owner (a crash while it was written); took it over`
          : `${file} was left by process ${found.pid} on ${found.host}, which is no longer running; took it over`,
      );
    } else {
      throw busy(file, found);
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      // Only our own lock: after a takeover by someone else it is theirs.
      if (readFileSync(file, 'utf8') === text) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  // A process.exit (a second Ctrl-C) skips `finally` blocks but still runs exit handlers.
  process.on('exit', release);
  return { file, release };
}

function tryCreate(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(file: string): RunLockHolder | 'unreadable' | 'gone' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<RunLockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') {
      return {
        pid: value.pid,
        host: value.host,
        startedAt: String(value.startedAt ?? '?'),
        command: String(value.command ?? '?'),
      };
    }
  } catch {
    // torn or foreign content
  }
  return 'unreadable';
}

function isStale(file: string, holder: RunLockHolder | 'unreadable'): boolean {
  if (holder === 'unreadable') {
    try {
      return Date.now() - statSync(file).mtimeMs > UNREADABLE_GRACE_MS;
    } catch {
      return true;
    }
  }
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return false; // another run in this very process
  return !isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Replaces a stale lock without ever deleting a lock another process has just taken: the stale file is
 * moved aside by rename (atomic), checked to be the one judged stale, and only then is ours created.
 */
function takeOver(file: string, stale: RunLockHolder | 'unreadable', text: string): void {
  const aside = `${file}.stale-${process.pid}-${Date.now().toString(36)}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existsSync(aside)) {
    const moved = readHolder(aside);
    const same =
      moved === stale ||
      (moved !== 'unreadable' &&
        moved !== 'gone' &&
        stale !== 'unreadable' &&
        moved.pid === stale.pid &&
        moved.startedAt === stale.startedAt);
    if (!same) {
      // We moved a fresh lock of a process that won the race: put it back.
      try {
        linkSync(aside, file);
      } catch {
        // someone else holds it now anyway
      }
      unlinkSync(aside);
      throw busy(file, moved === 'gone' ? 'unreadable' : moved);
    }
    unlinkSync(aside);
  }
  if (!tryCreate(file, text)) throw busy(file, readHolder(file));
}

function busy(file: string, holder: RunLockHolder | 'unreadable' | 'gone'): UserError {
  const who =
    holder === 'unreadable' || holder === 'gone'
      ? 'another process (its lock file is being written)'
      : `process ${holder.pid} on ${holder.host} (started ${holder.startedAt}: ${holder.command})`;
  return new UserError(`run directory is in use: ${file} is held by ${who}`, {
    hint: 'wait for that run to finish or stop it; if no such process runs (e.g. it ran on another host that is gone), delete the lock file',
  });
}
