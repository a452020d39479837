import { isUserError } from '@mtl2r/core';
import { CommanderError } from 'commander';
import { type CliIo, processIo } from './io.js';
import { ioErrorAsUserError } from './io-error.js';
import { buildProgram } from './program.js';

/**
 * Runs the CLI and returns the exit code: 0 on success, 2 for anything the user can fix (bad arguments,
 * config, data, a full disk or an unwritable place; printed without a stack trace), 1 for internal errors
 * (printed with the stack).
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (thrown) {
    const error = ioErrorAsUserError(thrown) ?? thrown;
    if (error instanceof CommanderError) {
      // help and version "errors" are successful exits; usage errors were already printed by commander
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isUserError(error)) {
      io.stderr(`error: ${error.message}\n`);
      if (error.hint !== undefined) io.stderr(`hint: ${error.hint}\n`);
      return error.exitCode;
    }
    io.stderr(`internal error (please report it): ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
