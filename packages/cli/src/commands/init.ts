import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '@mtl2r/core';
import { starterConfigYaml } from '@mtl2r/trainer';
import { Command } from 'commander';
import type { CliIo } from '../io.js';

/** `mtl2r init [file]`: writes a commented starter config for the bundled MQ2008 data. */
export function initCommand(io: CliIo): Command {
  return new Command('init')
    .description('write a commented starter config (multi-task MQ2008, bundled data)')
    .argument('[file]', 'where to write it', 'mtl2r.yaml')
    .option('-f, --force', 'overwrite an existing file')
    .action((fileArg: string, flags: { force?: boolean }) => {
      const file = resolve(io.cwd, fileArg);
      if (existsSync(file) && flags.force !== true) {
        throw new UserError(`${file} already exists`, {
          hint: 'pass --force to overwrite it, or give another file name',
        });
      }
      writeFileSync(file, starterConfigYaml());
      io.stdout(`wrote ${file}\ntrain with: mtl2r train -c ${fileArg}\n`);
    });
}
