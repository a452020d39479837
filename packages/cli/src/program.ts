import { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { dataCommand } from './commands/data.js';
import { doctorCommand } from './commands/doctor.js';
import { evalCommand } from './commands/eval.js';
import { initCommand } from './commands/init.js';
import { predictCommand } from './commands/predict.js';
import { reportCommand } from './commands/report.js';
import { strategiesCommand } from './commands/strategies.js';
import { sweepCommand } from './commands/sweep.js';
import { trainCommand } from './commands/train.js';
import { workerCommand } from './commands/worker.js';
import type { CliIo } from './io.js';

/** The `mtl2r` command tree. Output goes through `io` so tests can run it in-process. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('mtl2r')
    .description('Deep multi-task learning to rank')
    .version(packageJson.version, '-v, --version')
    .showHelpAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const command of [
    doctorCommand(io),
    strategiesCommand(io),
    dataCommand(io),
    initCommand(io),
    trainCommand(io),
    evalCommand(io),
    predictCommand(io),
    sweepCommand(io),
    reportCommand(io),
    workerCommand(io),
  ]) {
    program.addCommand(command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
  }
  return program;
}
