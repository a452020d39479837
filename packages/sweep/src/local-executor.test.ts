import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalExecutor } from './local-executor.js';
import { executeSweep, planSweep } from './run-sweep.js';
import { parseSweepFile } from './sweep-file.js';
import { TEST_WORKER_ENTRY, testCatalog, tinySweep } from './testing/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mtl2r-sweep-local-'));
const executors: LocalExecutor[] = [];
afterAll(async () => {
  await Promise.all(executors.map((e) => e.close()));
});

function executor(workers: number): LocalExecutor {
  const e = new LocalExecutor({ workers, entry: TEST_WORKER_ENTRY });
  executors.push(e);
  return e;
}

describe('a local sweep', () => {
  it('trains baselines and preference rows on 2 workers, records each run once, and a rerun trains nothing', async () => {
    const sweep = parseSweepFile(
      tinySweep(dir, {
        strategies: [{ id: 'ls' }],
        preferences: {
          generator: 'list',
          rows: [
            [0.8, 0.2],
            [0.2, 0.8],
          ],
        },
      }),
    );
    const plan = planSweep(sweep, { sweepDir: dir, outDir: join(dir, 'out'), catalog: testCatalog() });
    expect(plan.jobs.map((j) => j.method)).toEqual(['stl', 'stl', 'ls', 'ls']);
    const lines: string[] = [];
    const outcome = await executeSweep(plan, executor(2), { write: (t) => lines.push(t), isTty: false });
    expect(outcome.trained).toBe(4);
    expect(outcome.failures).toEqual([]);
    const results = readFileSync(outcome.resultsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; runDir: string; deltaM?: number; test: unknown[] });
    expect(new Set(results.map((r) => r.id)).size).toBe(4);
    for (const r of results) {
      expect(r.test).toHaveLength(2);
      // an ordinary run directory: resolved config, checkpoints, per-run log
      expect(existsSync(join(dir, 'out', r.runDir, 'config.json'))).toBe(true);
      expect(existsSync(join(dir, 'out', r.runDir, 'checkpoints', 'best'))).toBe(true);
      expect(readFileSync(join(dir, 'out', r.runDir, 'sweep.log'), 'utf8')).toContain('starting run');
    }
    const ls = outcome.summary.methods.find((m) => m.method === 'ls');
    expect(ls?.runs).toBe(2);
    expect(ls?.hypervolume).toBeGreaterThan(0);
    expect(ls?.deltaM).toBeTypeOf('number');

    const again = await executeSweep(plan, executor(1), { write: () => {}, isTty: false });
    expect(again.trained).toBe(0);
    expect(again.skipped).toBe(4);
    expect(readFileSync(outcome.resultsFile, 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('a run whose worker process is killed is recorded as failed; rerunning resumes it from its checkpoint', async () => {
    const sweep = parseSweepFile({
      ...tinySweep(
        join(dir, 'kill'),
        {
          strategies: [{ id: 'ls' }],
          preferences: { generator: 'list', rows: [[0.5, 0.5]] },
          baselines: false,
        },
        6,
      ),
      retries: 0,
    });
    const plan = planSweep(sweep, {
      sweepDir: dir,
      outDir: join(dir, 'kill', 'out'),
      catalog: testCatalog(),
    });
    const pool = executor(1);
    const running = executeSweep(plan, pool, { write: () => {}, isTty: false });
    const runDir = plan.jobs[0]?.runDir as string;
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(runDir, 'checkpoints', 'last')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    process.kill(pool.pids()[0] as number, 'SIGKILL');
    const killed = await running;
    expect(killed.failures).toHaveLength(1);
    expect(killed.failures[0]?.error).toMatch(/worker process \d+ exited \(SIGKILL\) while training run/);

    const resumed = await executeSweep(plan, executor(1), { write: () => {}, isTty: false });
    expect(resumed.failures).toEqual([]);
    const results = readFileSync(resumed.resultsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { resumed: boolean; epochs: number });
    expect(results).toHaveLength(1);
    expect(results[0]?.resumed).toBe(true);
    expect(results[0]?.epochs).toBe(6);
    const info = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { resumedAt?: string[] };
    expect(info.resumedAt).toHaveLength(1);
  });
});
