import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError } from '@mtl2r/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueExecutor } from './queue-executor.js';
import { startQueueWorker } from './queue-worker.js';
import { executeSweep, planSweep } from './run-sweep.js';
import { parseSweepFile } from './sweep-file.js';
import { TEST_WORKER_ENTRY, testCatalog, tinySweep } from './testing/fixtures.js';
import { freePort, startRedis, type TestRedis } from './testing/redis-server.js';

let redis: TestRedis;
const dir = mkdtempSync(join(tmpdir(), 'mtl2r-sweep-queue-'));
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await redis?.stop();
});

/** A queue worker in its own process (so it can be SIGKILLed), resolved once it takes jobs. */
async function workerProcess(concurrency: number, lockMs: number): Promise<ChildProcess> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = fork(
    fileURLToPath(new URL('./testing/queue-worker-main.ts', import.meta.url)),
    [redis.url, String(concurrency), String(lockMs)],
    {
      execArgv: ['--conditions=@mtl2r/source', '--import', tsx],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('worker ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return child;
}

function plan(name: string, grid: Record<string, unknown>, epochs = 1) {
  const sweep = parseSweepFile(tinySweep(join(dir, name), grid, epochs));
  return planSweep(sweep, { sweepDir: dir, outDir: join(dir, name, 'out'), catalog: testCatalog() });
}

describe('the BullMQ executor on a real redis-server', () => {
  it('runs a sweep through a worker with concurrency 2; results come back through the queue', async () => {
    const worker = await startQueueWorker({
      url: redis.url,
      concurrency: 2,
      entry: TEST_WORKER_ENTRY,
      capabilities: { version: 'test', strategies: ['ls', 'stl', 'ec'] },
      queueName: 'q1',
    });
    const executor = new QueueExecutor({
      url: redis.url,
      outDir: join(dir, 'a', 'out'),
      version: 'test',
      queueName: 'q1',
      pollMs: 100,
    });
    try {
      const p = plan('a', { strategies: [{ id: 'ec', epsilons: [0.5, 2] }] });
      const outcome = await executeSweep(p, executor, { write: () => {}, isTty: false });
      expect(outcome.failures).toEqual([]);
      expect(outcome.trained).toBe(4);
      const ec = outcome.summary.methods.find((m) => m.method === 'ec');
      expect(ec?.runs).toBe(2);
    } finally {
      await executor.close();
      await worker.close();
    }
  });

  it('a worker of another version refuses the job with the reason, without retries', async () => {
    const worker = await startQueueWorker({
      url: redis.url,
      concurrency: 1,
      entry: TEST_WORKER_ENTRY,
      capabilities: { version: '0.0.1', strategies: ['ls', 'stl'] },
      queueName: 'q2',
    });
    const executor = new QueueExecutor({
      url: redis.url,
      outDir: join(dir, 'b', 'out'),
      version: 'test',
      queueName: 'q2',
      pollMs: 100,
    });
    try {
      const p = {
        ...plan('b', {
          strategies: [{ id: 'ls' }],
          preferences: { generator: 'list', rows: [[0.5, 0.5]] },
          baselines: false,
        }),
      };
      const outcome = await executeSweep(p, executor, { write: () => {}, isTty: false });
      expect(outcome.failures).toHaveLength(1);
      expect(outcome.failures[0]?.error).toMatch(/runs mtl2r 0\.0\.1, the sweep was planned with test/);
      expect(outcome.failures[0]?.attempts).toBe(1);
    } finally {
      await executor.close();
      await worker.close();
    }
  });

  it('a SIGKILLed worker: its job is handed to another worker, resumed from its checkpoint, recorded once', async () => {
    // one run of 6 epochs: long enough to kill the worker after its first checkpoint
    const p = plan(
      'c',
      {
        strategies: [{ id: 'ls' }],
        preferences: { generator: 'list', rows: [[0.5, 0.5]] },
        baselines: false,
      },
      6,
    );
    const first = await workerProcess(1, 1500);
    const executor = new QueueExecutor({ url: redis.url, outDir: p.outDir, version: 'test', pollMs: 100 });
    const running = executeSweep(p, executor, { write: () => {}, isTty: false });
    const firstRun = p.jobs[0]?.runDir as string;
    const lastCheckpoint = join(firstRun, 'checkpoints', 'last');
    const deadline = Date.now() + 60_000;
    while (!existsSync(lastCheckpoint) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(lastCheckpoint)).toBe(true);
    first.kill('SIGKILL');
    await workerProcess(1, 1500);
    const outcome = await running;
    await executor.close();
    expect(outcome.failures).toEqual([]);
    const lines = readFileSync(outcome.resultsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; resumed: boolean; epochs: number });
    expect(lines.map((l) => l.id).sort()).toEqual(p.jobs.map((j) => j.id).sort());
    const killed = lines.find((l) => l.id === p.jobs[0]?.id);
    expect(killed?.resumed).toBe(true);
    expect(killed?.epochs).toBe(6);
    const runInfo = JSON.parse(readFileSync(join(firstRun, 'run.json'), 'utf8')) as { resumedAt?: string[] };
    expect(runInfo.resumedAt).toHaveLength(1);
  });

  it('Redis unreachable: a UserError naming the URL within a few seconds', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const executor = new QueueExecutor({ url, outDir: join(dir, 'd'), version: 'test' });
    const started = Date.now();
    const error = await executor.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(`cannot reach Redis at ${url}`);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
