import { addPluginSearchDirs } from './installed-strategies.js';
import { runCli } from './run.js';

export interface MainOptions {
  /** Folders whose installed plugins the CLI offers too (the `mtl2r` meta package passes its own). */
  pluginDirs?: readonly string[];
}

/** Entry point of the `mtl2r` binary. */
export function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  addPluginSearchDirs(options.pluginDirs ?? []);
  return runCli(argv);
}
