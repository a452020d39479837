import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../run-subprocess.js';
import {
  cli,
  duplicatedRecords,
  listFiles,
  type TinyData,
  writeTinyConfig,
  writeTinyData,
} from './train-fixtures.js';

// Real child processes: two writers at once, SIGKILL, SIGTERM.
let dir: string;
let data: TinyData;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtl2r-cli-signals-'));
  data = writeTinyData(dir);
});

const weights = (run: string) => readFileSync(join(run, 'checkpoints/last/model/weights.bin'));

describe('one writer per run directory', () => {
  it('a second train on a run in use exits 2 naming the holder; a dead holder is taken over with a note', async () => {
    const config = writeTinyConfig(dir, 'lock.yaml', data);
    const run = join(dir, 'runs/lock');
    const first = spawnCli(['train', '-c', config, '--out', run, '--set', 'training.epochs=200']);
    await first.waitFor(/epoch 1\/200 train loss/); // lock taken, first checkpoints written
    const pid = first.child.pid as number;
    const holder = new RegExp(
      `error: run directory is in use: .*runs/lock/run\\.lock is held by process ${pid} on ${hostname()} \\(started .*train -c .*lock\\.yaml`,
    );

    // This (another) process: --resume of the same run, and a new run with the same --out.
    const second = await cli(dir, 'train', '--resume', run);
    expect(second.code).toBe(2);
    expect(second.err).toMatch(holder);
    expect(second.err).toContain('hint: wait for that run to finish or stop it');
    const third = await cli(dir, 'train', '-c', config, '--out', run);
    expect(third.code).toBe(2);
    expect(third.err).toMatch(holder);

    // The holder dies without cleaning up: its lock is stale and the next start takes it over.
    first.child.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');
    expect(existsSync(join(run, 'run.lock'))).toBe(true);
    const stepsDone = JSON.parse(readFileSync(join(run, 'checkpoints/last/state.json'), 'utf8')).progress
      .epoch;
    const resumed = await cli(
      dir,
      'train',
      '--resume',
      run,
      '--set',
      `training.epochs=${stepsDone + 1}`,
      '--quiet',
    );
    expect(resumed.err).toContain(
      `warning: ${join(run, 'run.lock')} was left by process ${pid} on ${hostname()}, which is no longer running; took it over`,
    );
    expect(resumed.code).toBe(0);
    // Nothing logged twice, and the lock is gone once the run ends.
    expect(duplicatedRecords(run)).toEqual([]);
    expect(existsSync(join(run, 'run.lock'))).toBe(false);
  });
});

describe('signals and kills', () => {
  it('SIGTERM finishes the batch, writes last/ and exits 143; --resume then ends where an uninterrupted run ends', async () => {
    const config = writeTinyConfig(dir, 'term.yaml', data, 'optimizer: { name: adam, learningRate: 0.01 }\n');
    const small = ['--set', 'training.batchSize=2'];
    const straight = await cli(
      dir,
      'train',
      '-c',
      config,
      '--out',
      'runs/term-straight',
      '--quiet',
      ...small,
    );
    expect(straight.code).toBe(0);

    const run = join(dir, 'runs/term');
    const child = spawnCli(['train', '-c', config, '--out', run, ...small]);
    await child.waitFor(/epoch 1\/2 batch 2\/8/);
    child.child.kill('SIGTERM');
    const stopped = await child.exit;
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toContain('SIGTERM: finishing the batch, then writing checkpoints/last');
    expect(stopped.stderr).toMatch(
      /error: interrupted by SIGTERM at step \d+: wrote .*runs\/term\/checkpoints\/last/,
    );
    expect(stopped.stderr).not.toContain('internal error');
    expect(existsSync(join(run, 'run.lock'))).toBe(false);
    const state = JSON.parse(readFileSync(join(run, 'checkpoints/last/state.json'), 'utf8'));
    expect(state.progress.finished).toBe(false);

    const resumed = await cli(dir, 'train', '--resume', run, '--quiet');
    expect(resumed.code).toBe(0);
    expect(weights(run).equals(weights(join(dir, 'runs/term-straight')))).toBe(true);
    expect(duplicatedRecords(run)).toEqual([]);
  });

  it('a run killed before its first checkpoint restarts from the beginning on --resume, saying so', async () => {
    // 96 lists, one per batch: the first epoch takes long enough to be killed inside it.
    const many = writeTinyData(join(dir, 'many'), { train: 96, vali: 4, test: 4 });
    const config = writeTinyConfig(dir, 'early.yaml', many);
    const overrides = ['--set', 'training.epochs=1', '--set', 'training.batchSize=1'];
    const straight = await cli(
      dir,
      'train',
      '-c',
      config,
      '--out',
      'runs/early-straight',
      '--quiet',
      ...overrides,
    );
    expect(straight.code).toBe(0);

    const run = join(dir, 'runs/early');
    const child = spawnCli(['train', '-c', config, '--out', run, ...overrides]);
    await child.waitFor(/training 2 task\(s\)/);
    child.child.kill('SIGKILL');
    await child.exit;
    expect(listFiles(run)).toEqual(expect.arrayContaining(['config.json', 'run.json', 'run.lock']));
    expect(listFiles(run).filter((file) => file.startsWith('checkpoints'))).toEqual([]);

    const restart = await cli(dir, 'train', '-c', config, '--out', run, ...overrides);
    expect(restart.code).toBe(2);
    expect(restart.err).toContain(`error: run directory ${run} already holds a run`);
    expect(restart.err).toContain(`hint: continue it with --resume ${run}`);

    const resumed = await cli(dir, 'train', '--resume', run);
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain(
      `warning: ${run} has no checkpoint yet (the run stopped before its first epoch ended): starting it from the beginning`,
    );
    expect(weights(run).equals(weights(join(dir, 'runs/early-straight')))).toBe(true);
    expect(readFileSync(join(run, 'metrics.jsonl'), 'utf8')).toBe(
      readFileSync(join(dir, 'runs/early-straight/metrics.jsonl'), 'utf8'),
    );
  });
});
