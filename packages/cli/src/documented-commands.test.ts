import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { writeBundledSubset } from '@mtl2r/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentedCommands, mtl2rArguments } from './documented-commands.js';
import { memoryIo } from './io.js';
import { runCli } from './run.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Commands that are not `mtl2r ...`, and what runs them instead. A new one fails this test until listed. */
const coveredElsewhere: Record<string, string> = {
  'npm start': '.ci/run runs it first (README command 1)',
  'pnpm test': '.ci/run runs it (README command 2)',
  'git clone <this repo> mtl2r && cd mtl2r': 'CI runs .ci/run in a fresh clone',
  'pnpm bench': 'benchmarks take minutes and print tables; the root script is checked below',
};

const commands = documentedCommands(repoRoot);
let sandbox: string;
let subset: { train: string; vali: string; test: string };
let lastRun: string | undefined;

/** The documented argv, run in the sandbox: `<run>` is the last run trained, repository paths absolute. */
function localise(argv: readonly string[]): string[] {
  return argv.map((arg) => {
    if (arg === 'runs/<run>') return lastRun ?? arg;
    if (!isAbsolute(arg) && arg.includes('/') && !existsSync(join(sandbox, arg))) {
      const inRepo = resolve(repoRoot, arg);
      if (existsSync(inRepo)) return inRepo;
    }
    return arg;
  });
}

/** Appended to every `train`: the same command on 32 MQ2008 queries, a tiny model, one epoch, cpu. */
function fastTraining(): string[] {
  return [
    ['backend', 'cpu'],
    ['training.epochs', '1'],
    ['data.train', subset.train],
    ['data.vali', subset.vali],
    ['data.test', subset.test],
    ['data.cacheDir', 'false'],
    ['model.modelDim', '8'],
    ['model.blocks', '1'],
    ['model.heads', '2'],
    ['model.ffnDim', '16'],
  ].flatMap(([key, value]) => ['--set', `${key}=${value}`]);
}

beforeAll(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'mtl2r-docs-'));
  subset = writeBundledSubset('mq2008', join(sandbox, 'subset'), { train: 32, vali: 8, test: 8 });
  // the files the docs name: test.txt, train.txt.gz
  writeFileSync(join(sandbox, 'test.txt'), readFileSync(subset.test));
  writeFileSync(join(sandbox, 'train.txt.gz'), gzipSync(readFileSync(subset.train)));
});

describe('every command shown in README.md and docs/*.md runs', () => {
  it('finds the documented commands', () => {
    expect(commands.length).toBeGreaterThan(5);
    expect(commands.map((c) => c.text)).toContain('pnpm mtl2r train -c my.yaml --set strategy.id=mgda');
  });

  for (const command of commands) {
    const argv = mtl2rArguments(command.text);
    if (argv === undefined) {
      it(`${command.where}: \`${command.text}\` is covered elsewhere`, () => {
        expect(coveredElsewhere[command.text], `add it to coveredElsewhere with what runs it`).toBeDefined();
        if (command.text === 'pnpm bench') {
          const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
          expect(root.scripts.bench).toBeDefined();
        }
      });
      continue;
    }
    it(`${command.where}: \`${command.text}\` exits 0`, async () => {
      const args = localise(argv);
      if (args[0] === 'train') args.push(...fastTraining());
      const io = memoryIo(sandbox);
      const code = await runCli(args, io);
      const err = io.err.join('');
      expect(err, `stderr of ${command.text}`).toBe('');
      expect(code).toBe(0);
      const runDir = /run directory: (.+)$/m.exec(io.out.join(''));
      if (runDir?.[1] !== undefined) lastRun = runDir[1];
    }, 300_000); // seconds alone; generous for a loaded CI machine
  }
});
