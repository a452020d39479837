import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError, UserError } from '@mtl2r/core';
import { CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { dataCommand } from './data.js';

// The bundled MQ2008 files of @mtl2r/datasets (the real data CI has).
const MQ2008_TRAIN = fileURLToPath(new URL('../../../datasets/data/mq2008/train.txt.gz', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mtl2r-cli-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<string> {
  const io = memoryIo(dir);
  await dataCommand(io).parseAsync(args, { from: 'user' });
  return io.out.join('');
}

describe('mtl2r data inspect', () => {
  it('summarises the bundled MQ2008 train file, read from .gz', async () => {
    const out = await run(['inspect', MQ2008_TRAIN, '--label-features', '41']);
    expect(out).toMatch(/queries\s+471\n/);
    expect(out).toMatch(/documents\s+9,630\n/);
    expect(out).toMatch(/features\s+46 \(constant: .*43.*\)\n/);
    expect(out).toMatch(/docs\/query\s+min \d+ .* max 121 /);
    expect(out).toMatch(/no relevant\s+132 queries \(28.0%\)/);
    expect(out).toMatch(
      /label histogram\nvalue\s+count\s+share\n-+\s+-+\s+-+\n0\s+7820\s+81.2%\n1\s+1223\s+12.7%\n2\s+587\s+6.1%/,
    );
    expect(out).toMatch(/feature 41 histogram\nrange \(deciles\)/);
  });

  it('prints JSON with --json', async () => {
    const report = JSON.parse(await run(['inspect', MQ2008_TRAIN, '--json']));
    expect(report).toMatchObject({ queries: 471, documents: 9630, featureCount: 46 });
  });

  it('bad data is a DataError with file:line:column', async () => {
    const file = join(dir, 'bad.txt');
    writeFileSync(file, '1 qid:1 1:1\n0 qid:1 0:2\n');
    const error = await run(['inspect', 'bad.txt']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toBe(
      `${file}:2:9: feature index 0: indices are 1-based (expected >= 1)`,
    );
    expect((error as DataError).exitCode).toBe(2);
  });

  it('an unknown option is a usage error that throws instead of exiting', async () => {
    const io = memoryIo(dir);
    const error = await dataCommand(io)
      .parseAsync(['inspect', MQ2008_TRAIN, '--bogus'], { from: 'user' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommanderError);
    expect(io.err.join('')).toMatch(/unknown option '--bogus'/);
  });

  it('a bad option value is a UserError', async () => {
    await expect(run(['inspect', MQ2008_TRAIN, '--label-features', '41,x'])).rejects.toThrow(
      /--label-features: expected an integer, got 'x'/,
    );
  });
});

describe('mtl2r data synth', () => {
  it('writes a deterministic MSLR-shaped file that inspect reads back', async () => {
    const first = await run([
      'synth',
      '--queries',
      '4',
      '--out',
      'a.txt.gz',
      '--seed',
      '3',
      '--mean-docs',
      '20',
    ]);
    expect(first).toMatch(/wrote .*a.txt.gz: 4 queries, \d+ documents, 136 features/);
    await run(['synth', '--queries', '4', '--out', 'b.txt.gz', '--seed', '3', '--mean-docs', '20']);
    const a = JSON.parse(await run(['inspect', 'a.txt.gz', '--json']));
    const b = JSON.parse(await run(['inspect', 'b.txt.gz', '--json']));
    expect(a).toMatchObject({ queries: 4, featureCount: 136 });
    expect({ ...a, file: '' }).toEqual({ ...b, file: '' });
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses missing or bad options with what was expected', async () => {
    await expect(run(['synth', '--out', 'x.txt'])).rejects.toThrow(UserError);
    await expect(run(['synth', '--out', 'x.txt'])).rejects.toThrow(/--queries <n> is required/);
    await expect(run(['synth', '--queries', '3'])).rejects.toThrow(/--out <file> is required/);
    await expect(run(['synth', '--queries', '0', '--out', 'x.txt'])).rejects.toThrow(
      /--queries: expected an integer >= 1, got '0'/,
    );
  });
});
