export { type MainOptions, main } from './bin.js';
export { type CliIo, memoryIo, processIo } from './io.js';
export { buildProgram } from './program.js';
export { runCli } from './run.js';
