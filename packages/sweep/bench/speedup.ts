// Sweep throughput: N tiny runs on W local workers against W = 1, the same sweep through Redis with two
// queue-worker processes against one, and the per-job overhead of the pool and of the queue.
// Run: pnpm --filter @mtl2r/sweep bench   (needs /usr/bin/redis-server for the queue rows)
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SweepExecutor } from '../src/executor.js';
import { LocalExecutor } from '../src/local-executor.js';
import { QueueExecutor } from '../src/queue-executor.js';
import { executeSweep, planSweep } from '../src/run-sweep.js';
import { parseSweepFile } from '../src/sweep-file.js';
import { TEST_WORKER_ENTRY, testCatalog, tinySweep } from '../src/testing/fixtures.js';
import { startRedis } from '../src/testing/redis-server.js';

const RUNS = Number(process.env.SWEEP_BENCH_RUNS ?? 8);
// Runs long enough (a few seconds each) that process start-up does not hide the parallel speed-up.
const EPOCHS = Number(process.env.SWEEP_BENCH_EPOCHS ?? 20);
const cores = availableParallelism();
const root = mkdtempSync(join(tmpdir(), 'mtl2r-sweep-bench-'));
const rows = Array.from({ length: RUNS }, (_, i) => {
  const x = Number(((i + 0.5) / RUNS).toFixed(6));
  return [x, Number((1 - x).toFixed(6))];
});

interface Measured {
  name: string;
  workers: number;
  seconds: number;
  /** Sum of the runs' own wall times. */
  runSeconds: number;
}

async function measure(
  name: string,
  workers: number,
  make: (outDir: string) => SweepExecutor,
): Promise<Measured> {
  const dir = join(root, name.replace(/\W+/g, '-'));
  const sweep = parseSweepFile(
    tinySweep(
      dir,
      { strategies: [{ id: 'ls' }], preferences: { generator: 'list', rows }, baselines: false },
      EPOCHS,
      24,
    ),
  );
  const plan = planSweep(sweep, { sweepDir: dir, outDir: join(dir, 'out'), catalog: testCatalog() });
  const executor = make(plan.outDir);
  const started = performance.now();
  const outcome = await executeSweep(plan, executor, {
    write: process.env.SWEEP_BENCH_VERBOSE ? (t) => process.stderr.write(t) : () => {},
    isTty: false,
  });
  const seconds = (performance.now() - started) / 1000;
  await executor.close();
  if (outcome.failures.length > 0) throw new Error(`${name}: ${outcome.failures[0]?.error}`);
  const runSeconds = outcome.summary.methods.length === 0 ? 0 : await sumWallSeconds(outcome.resultsFile);
  return { name, workers, seconds, runSeconds };
}

async function sumWallSeconds(file: string): Promise<number> {
  const { readFileSync } = await import('node:fs');
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .reduce((sum, line) => sum + (JSON.parse(line) as { wallSeconds: number }).wallSeconds, 0);
}

async function queueWorkers(url: string, count: number): Promise<ChildProcess[]> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const main = fileURLToPath(new URL('../src/testing/queue-worker-main.ts', import.meta.url));
  return Promise.all(
    Array.from({ length: count }, async () => {
      const child = fork(main, [url, '1', '30000'], {
        execArgv: ['--conditions=@mtl2r/source', '--import', tsx],
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      });
      await new Promise<void>((resolve) =>
        child.stdout?.on('data', (c: Buffer) => c.toString().includes('worker ready') && resolve()),
      );
      return child;
    }),
  );
}

const results: Measured[] = [];
for (const workers of [1, ...(cores >= 2 ? [2] : []), ...(cores > 2 ? [cores] : [])]) {
  results.push(
    await measure(
      `local W=${workers}`,
      workers,
      () => new LocalExecutor({ workers, entry: TEST_WORKER_ENTRY }),
    ),
  );
}
const redis = await startRedis().catch((error: Error) => {
  process.stdout.write(`(no queue rows: ${error.message})\n`);
  return undefined;
});
if (redis !== undefined) {
  for (const count of [1, 2]) {
    const workers = await queueWorkers(redis.url, count);
    results.push(
      await measure(
        `redis ${count} worker process${count > 1 ? 'es' : ''}`,
        count,
        (outDir) =>
          new QueueExecutor({
            url: redis.url,
            outDir,
            version: 'test',
            pollMs: 100,
          }),
      ),
    );
    for (const child of workers) child.kill('SIGTERM');
  }
  await redis.stop();
}

const base = (prefix: string) => results.find((r) => r.name.startsWith(prefix) && r.workers === 1);
process.stdout.write(
  `\n${RUNS} runs (ls, 2 tasks, ${EPOCHS} epochs on 24 MQ2008 queries, cpu backend), ${cores} cores\n\n`,
);
process.stdout.write('executor                     W   wall s   speed-up   goal >= 0.8 W   overhead/job s\n');
for (const r of results) {
  const reference = base(r.name.split(' ')[0] as string);
  const speedup = reference === undefined ? Number.NaN : reference.seconds / r.seconds;
  // wall time x workers not spent inside the runs themselves, per run: process start, dispatch, polling
  const overhead = (r.seconds * r.workers - r.runSeconds) / RUNS;
  process.stdout.write(
    `${r.name.padEnd(27)} ${String(r.workers).padStart(2)} ${r.seconds.toFixed(1).padStart(8)} ${speedup.toFixed(2).padStart(10)} ${(0.8 * r.workers).toFixed(1).padStart(15)} ${overhead.toFixed(2).padStart(16)}\n`,
  );
}
