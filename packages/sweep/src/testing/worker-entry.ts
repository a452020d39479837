// A sweep worker process for this package's tests and benchmark: the plugins it can train (ls, stl, ec)
// come from the dev dependencies; the CLI's worker entry uses every installed plugin instead.
import { Registry } from '@mtl2r/core';
import ec from '@mtl2r/strategy-ec';
import ls from '@mtl2r/strategy-ls';
import stl from '@mtl2r/strategy-stl';
import { serveJobs } from '../job-child.js';

await serveJobs(async () => new Registry().use(ls).use(stl).use(ec));
