import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '@mtl2r/core';
import { starterSweepYaml } from '@mtl2r/sweep';
import { starterConfigYaml } from '@mtl2r/trainer';
import { Command } from 'commander';
import type { CliIo } from '../io.js';

/** `mtl2r init [file]`: writes a commented starter config for the bundled MQ2008 data. */
export function initCommand(io: CliIo): Command {
  return new Command('init')
    .description('write a commented starter config (multi-task MQ2008, bundled data)')
    .argument('[file]', 'where to write it', 'mtl2r.yaml')
    .option('-f, --force', 'overwrite an existing file')
    .option(
      '--sweep <file>',
      'write a starter sweep file instead (2 methods x 2 preference rows + STL baselines)',
    )
    .action((fileArg: string, flags: { force?: boolean; sweep?: string }) => {
      const file = resolve(io.cwd, flags.sweep ?? fileArg);
      if (existsSync(file) && flags.force !== true) {
        throw new UserError(`${file} already exists`, {
          hint: 'pass --force to overwrite it, or give another file name',
        });
      }
      // the folder may not exist yet (runs/ in a fresh clone); write whole or not at all
      mkdirSync(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, flags.sweep === undefined ? starterConfigYaml() : starterSweepYaml());
      renameSync(temporary, file);
      io.stdout(
        flags.sweep === undefined
          ? `wrote ${file}\ntrain with: mtl2r train -c ${fileArg}\n`
          : `wrote ${file}\nrun it with: mtl2r sweep -c ${flags.sweep} --out sweeps/starter\n`,
      );
    });
}
