import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ioErrorAsUserError } from './io-error.js';

/** The error a real system call gives. */
function errorOf(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('ioErrorAsUserError', () => {
  it('a full disk (a real ENOSPC from /dev/full): exit 2, the path, the cause and what to do', () => {
    const error = errorOf(() => writeFileSync('/dev/full', 'x'));
    // write(2) names no file: the caller adds the one it was writing.
    (error as NodeJS.ErrnoException).path = '/runs/a/metrics.jsonl';
    const user = ioErrorAsUserError(error);
    expect(user?.exitCode).toBe(2);
    expect(user?.message).toBe('cannot write /runs/a/metrics.jsonl: no space left on device (ENOSPC)');
    expect(user?.hint).toContain('free some space or write elsewhere (--out), then run again');
  });

  it('an unwritable place names the operation and the path', () => {
    const error = errorOf(() => writeFileSync('/sys/mtl2r-io-error-test', 'x'));
    expect(ioErrorAsUserError(error)?.message).toMatch(
      /^cannot open \/sys\/mtl2r-io-error-test: (permission denied|operation not permitted|read-only file system) \((EACCES|EPERM|EROFS)\)$/,
    );
  });

  it('leaves other errors alone', () => {
    expect(ioErrorAsUserError(new Error('boom'))).toBeUndefined();
    expect(
      ioErrorAsUserError(Object.assign(new Error('x'), { code: 'ERR_SOMETHING', syscall: 'open' })),
    ).toBeUndefined();
    expect(ioErrorAsUserError('text')).toBeUndefined();
  });
});
