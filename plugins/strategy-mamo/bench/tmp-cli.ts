import { main } from '../../../packages/cli/src/bin.js';
process.exitCode = await main(process.argv.slice(2));
