import { runCli } from './run.js';

/** Entry point of the `mtl2r` binary. */
export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv);
}
