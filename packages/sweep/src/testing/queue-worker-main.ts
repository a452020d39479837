// `tsx queue-worker-main.ts <redis-url> <concurrency> <lock-ms> [version]`: a queue worker process for the
// tests (they SIGKILL it) and the benchmark, with the test worker entry's plugins.
import { startQueueWorker } from '../queue-worker.js';
import { TEST_WORKER_ENTRY } from './fixtures.js';

const [url, concurrency, lockMs, version] = process.argv.slice(2);
const worker = await startQueueWorker({
  url: url as string,
  concurrency: Number(concurrency ?? 1),
  entry: TEST_WORKER_ENTRY,
  capabilities: { version: version ?? 'test', strategies: ['ls', 'stl', 'ec'] },
  lockDurationMs: Number(lockMs ?? 30_000),
  log: (text) => process.stdout.write(text),
});
process.stdout.write('worker ready\n');
const stop = () => void worker.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
