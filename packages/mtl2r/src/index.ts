import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main as cliMain } from '@mtl2r/cli';

/** This package's folder: the first-party plugins it depends on are installed beside it. */
export const metaPackageDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** The `mtl2r` command with every plugin this package installs (and any the user's project adds). */
export function main(argv: readonly string[]): Promise<number> {
  return cliMain(argv, { pluginDirs: [metaPackageDir] });
}
