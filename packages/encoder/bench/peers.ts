/** The side-by-side peers of step.bench.ts: PyTorch (step_pytorch.py) and the trainer's MQ2008 epoch. */
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PerTaskRow, Row } from './report.js';

/**
 * Node flags for the child processes: tsx's. (The resolve hook tfjs-core's ES build needs under tsx is
 * installed by @mtl2r/backend itself, src/gradients.ts.)
 */
export function childExecArgv(): string[] {
  return [...process.execArgv];
}

export function runPytorch(
  n: number,
  epoch: boolean,
): { row?: Row; perTask?: PerTaskRow; epochSeconds?: number; note?: string } {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'step_pytorch.py');
  const run = spawnSync(
    process.env.PYTHON ?? '/usr/bin/python3',
    [script, '--steps', String(n), '--json', ...(epoch ? ['--epoch'] : [])],
    {
      encoding: 'utf8',
      timeout: 1_800_000,
    },
  );
  const line = run.stdout?.trim().split('\n').pop();
  if (run.status !== 0 || line === undefined || !line.startsWith('{')) {
    return {
      note: `PyTorch not run: ${(run.stderr || run.error?.message || 'no output').trim().split('\n').pop()}`,
    };
  }
  const r = JSON.parse(line) as {
    step_seconds: number;
    step_cpu_seconds: number;
    one_grad_seconds: number;
    per_task_seconds: number;
    torch: string;
    threads: number;
    peak_rss_mb: number;
    mq2008_padded_epoch_seconds?: number;
  };
  return {
    row: {
      name: `PyTorch ${r.torch} (${r.threads} threads)`,
      stepSeconds: r.step_seconds,
      cpuSeconds: r.step_cpu_seconds,
      steps: n,
      peakRssMb: r.peak_rss_mb,
    },
    perTask: {
      name: `PyTorch ${r.torch}`,
      oneGradSeconds: r.one_grad_seconds,
      perTaskSeconds: r.per_task_seconds,
    },
    ...(r.mq2008_padded_epoch_seconds === undefined ? {} : { epochSeconds: r.mq2008_padded_epoch_seconds }),
  };
}

export /**
 * The trainer's MQ2008 epoch bench (bucketed lists, default install): its first line of times is the
 * bucketed run (2 epochs, the faster one counts); the child is stopped there, before its padded-to-240 run.
 */
function mq2008Epoch(): Promise<{ seconds?: number; note?: string }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), '../../trainer/bench/epoch-time.ts');
  const run = spawn(process.execPath, [...childExecArgv(), script], {
    env: { ...process.env, EPOCHS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve) => {
    run.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    run.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const bucketed = /bucketed, padded per batch\s+(.*)\n/.exec(stdout)?.[1];
      if (bucketed === undefined) return;
      const times = [...bucketed.matchAll(/([\d.]+) s/g)].map((m) => Number(m[1]));
      run.kill();
      resolve({ seconds: Math.min(...times) });
    });
    run.on('close', () =>
      resolve({ note: `MQ2008 epoch not run: ${(stderr || 'no output').trim().split('\n').pop()}` }),
    );
  });
}
