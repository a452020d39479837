import { UserError } from '@mtl2r/core';

/** Errors of the machine rather than of mtl2r: the user fixes them (space, permissions, paths). */
const causes: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'it already exists',
  ENOENT: 'no such file or folder',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error (a failing disk or network file system)',
  EBUSY: 'the file is busy',
};

const verbs: Record<string, string> = {
  open: 'open',
  write: 'write',
  read: 'read',
  mkdir: 'create the folder',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove the folder',
  rm: 'remove',
  copyfile: 'copy',
  stat: 'read',
  lstat: 'read',
  scandir: 'list',
};

/**
 * A file-system error (no space, a read-only or unwritable place, a file where a folder belongs) as a
 * UserError: exit 2, what could not be done to which path, and the cause. Anything else: undefined.
 */
export function ioErrorAsUserError(error: unknown): UserError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall, path, dest } = error as NodeJS.ErrnoException & { dest?: string };
  if (typeof code !== 'string' || typeof syscall !== 'string') return undefined;
  const cause = causes[code];
  if (cause === undefined) return undefined;
  const target = path === undefined ? '' : ` ${path}${dest === undefined ? '' : ` to ${dest}`}`;
  const space = code === 'ENOSPC' || code === 'EDQUOT';
  return new UserError(`cannot ${verbs[syscall] ?? syscall}${target}: ${cause} (${code})`, {
    hint: space
      ? 'free some space or write elsewhere (--out), then run again; an interrupted training run continues with --resume'
      : code === 'ENOENT'
        ? undefined
        : 'choose a location you can write to (--out), or fix its permissions',
    cause: error,
  });
}
