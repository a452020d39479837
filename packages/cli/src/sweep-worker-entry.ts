// The process `mtl2r sweep` and `mtl2r worker` fork per parallel run: it trains the jobs it is sent with
// every strategy plugin installed where the CLI runs.
import { serveJobs } from '@mtl2r/sweep';
import { installedRegistry } from './commands/train.js';

await serveJobs(() => installedRegistry(process.cwd()));
