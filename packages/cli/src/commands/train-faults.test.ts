import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, listFiles, type TinyData, writeTinyConfig, writeTinyData } from './train-fixtures.js';

// Damaged checkpoints, I/O faults, bad data and bad configs: exit 2, a message naming the file or the
// config path, no stack trace, and nothing lost or half-written.
let dir: string;
let data: TinyData;
let config: string;
/** A finished 2-epoch run; tests damage copies of it. */
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtl2r-cli-faults-'));
  data = writeTinyData(dir);
  config = writeTinyConfig(dir, 'base.yaml', data);
  base = join(dir, 'runs/base');
  const { code } = await cli(dir, 'train', '-c', config, '--out', base, '--quiet');
  expect(code).toBe(0);
});

function copyOfBase(name: string): string {
  const run = join(dir, 'runs', name);
  cpSync(base, run, { recursive: true });
  return run;
}

function expectCleanError(result: { code: number; err: string }, message: RegExp | string): void {
  expect(result.code).toBe(2);
  if (typeof message === 'string') expect(result.err).toContain(message);
  else expect(result.err).toMatch(message);
  expect(result.err).not.toContain('internal error');
  expect(result.err).not.toMatch(/\n\s+at /);
}

const weights = (run: string, which = 'last') =>
  readFileSync(join(run, `checkpoints/${which}/model/weights.bin`));

describe('damaged checkpoints on --resume', () => {
  it('a truncated last/state.json falls back to last.previous, says so, and finishes exactly as the original run', async () => {
    const run = copyOfBase('damaged-state');
    truncateSync(join(run, 'checkpoints/last/state.json'), 20);
    const resumed = await cli(dir, 'train', '--resume', run, '--quiet');
    expect(resumed.err).toMatch(
      /warning: .*damaged-state\/checkpoints\/last\/state\.json: not valid JSON \(.*\): the checkpoint is damaged; using the previous copy .*last\.previous \(step 2\)/,
    );
    expect(resumed.code).toBe(0);
    // Epoch 2 was redone from epoch 1's checkpoint: the same weights as the uninterrupted run.
    expect(weights(run).equals(weights(base))).toBe(true);
  });

  it.each([
    ['state.json', /last\/state\.json: not valid JSON \(.*\): the checkpoint is damaged/],
    ['optimizer.json', /last\/optimizer\.json: not valid JSON \(.*\): the checkpoint is damaged/],
    ['model/model.json', /last\/model\/model\.json: not valid JSON/],
  ])('without an intact previous copy, a damaged %s is an error naming it', async (file, message) => {
    const run = copyOfBase(`damaged-${file.replace('/', '-')}`);
    rmSync(join(run, 'checkpoints/last.previous'), { recursive: true });
    truncateSync(join(run, 'checkpoints/last', file), 10);
    const before = listFiles(run);
    expectCleanError(await cli(dir, 'train', '--resume', run), message);
    expect(listFiles(run)).toEqual(before);
  });

  it('a damaged run.json is an error naming it', async () => {
    const run = copyOfBase('damaged-run-json');
    writeFileSync(join(run, 'run.json'), '{"seed": 5,');
    expectCleanError(
      await cli(dir, 'train', '--resume', run),
      /run\.json: damaged \(.*\); it records how the run was started/,
    );
  });

  it("refuses a checkpoint beyond the config's epochs instead of calling the run completed", async () => {
    const run = copyOfBase('beyond');
    const result = await cli(dir, 'train', '--resume', run, '--set', 'training.epochs=1');
    expectCleanError(
      result,
      /last\/state\.json: the checkpoint is at epoch 2 but training\.epochs is 1: a run cannot resume past its end/,
    );
    expect(result.err).toContain(
      'hint: train on with a larger training.epochs (e.g. --set training.epochs=3)',
    );
  });
});

describe('I/O faults', () => {
  it('--out that is a file: exit 2, the file untouched', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'keep me');
    expectCleanError(
      await cli(dir, 'train', '-c', config, '--out', file),
      `run directory ${file} exists and is not a directory`,
    );
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('an unwritable location: exit 2 with the path and the cause', async () => {
    const out = `/sys/mtl2r-test-${process.pid}/run`;
    expectCleanError(
      await cli(dir, 'train', '-c', config, '--out', out),
      /error: cannot create the folder \/sys\/mtl2r-test-\d+.*: (operation not permitted|permission denied|read-only file system) \((EPERM|EACCES|EROFS)\)/,
    );
  });

  it('stale *.tmp-* and *.old-* from earlier crashes are cleaned on the next start', async () => {
    const run = copyOfBase('stale');
    mkdirSync(join(run, 'checkpoints/last.tmp-99-x/model'), { recursive: true });
    mkdirSync(join(run, 'checkpoints/best.old-99-y'), { recursive: true });
    writeFileSync(join(run, 'metrics.jsonl.tmp-99-z'), 'partial');
    const resumed = await cli(dir, 'train', '--resume', run, '--quiet');
    expect(resumed.code).toBe(0);
    expect(listFiles(run).filter((f) => /\.(tmp|old)-/.test(f))).toEqual([]);
    expect(weights(run).equals(weights(base))).toBe(true);
  });
});

describe('bad data and configs are refused before anything is written', () => {
  const refuse = async (overrides: string[], message: RegExp | string, configFile = config) => {
    const out = join(dir, `runs/refused-${Math.random().toString(36).slice(2)}`);
    expectCleanError(await cli(dir, 'train', '-c', configFile, '--out', out, ...overrides), message);
    expect(existsSync(out)).toBe(false);
  };

  it('a non-integer qid, with file:line:column', async () => {
    const lines = readFileSync(data.train, 'utf8').split('\n');
    lines[2] = (lines[2] as string).replace(/qid:\d+/, 'qid:abc');
    const bad = join(dir, 'qid-abc.txt');
    writeFileSync(bad, lines.join('\n'));
    await refuse(
      ['--set', `data.train=${bad}`],
      /qid-abc\.txt:3:\d+: query id 'abc' is not an integer: expected 'qid:<non-negative integer>'/,
    );
  });

  it("a dropFeatures entry that is a task's label column", async () => {
    await refuse(
      ['--set', 'data.spec.dropFeatures=[41]'],
      "data.spec.dropFeatures[0]: feature 41 is task 'pagerank''s label column (tasks[1].feature), which is removed from the input anyway: remove it from dropFeatures",
    );
  });

  it('strategy.plugin beside a built-in id, and a plugin file whose import throws (the plugin is named)', async () => {
    writeFileSync(join(dir, 'boom.mjs'), "throw new Error('boom at import');\n");
    await refuse(
      ['--set', `strategy.plugin=${join(dir, 'boom.mjs')}`],
      /strategy\.plugin: .*boom\.mjs.*boom at import/,
    );
    await refuse(
      ['--set', 'strategy.id=boom', '--set', `strategy.plugin=${join(dir, 'boom.mjs')}`],
      /strategy\.plugin: .*boom\.mjs.*boom at import/,
    );
    writeFileSync(
      join(dir, 'other-ls.mjs'),
      `export default { id: 'ls', contractVersion: 1, family: 'weighting', paretoFront: false, needs: { grads: 'none' },
  options: { '~standard': { version: 1, vendor: 't', validate: (value) => ({ value }) } },
  create: () => ({ needs: { grads: 'none' }, combine: () => ({ weights: [1, 0] }), state: () => null, loadState() {}, dispose() {} }) };\n`,
    );
    await refuse(
      ['--set', `strategy.plugin=${join(dir, 'other-ls.mjs')}`],
      /strategy\.plugin: 'ls' is also an installed strategy, so .*other-ls\.mjs would be ignored/,
    );
  });
});

describe('degenerate data trains, with a warning and the counts', () => {
  it('single-document queries and a constant label column', async () => {
    // Keep the first document of each query, all with relevance 1. (A constant feature column as a
    // task's labels is already refused by its quantile-grades transform.)
    const seen = new Set<string>();
    const lines = readFileSync(data.train, 'utf8')
      .split('\n')
      .filter((line) => {
        const qid = /qid:(\d+)/.exec(line)?.[1];
        if (qid === undefined || seen.has(qid)) return false;
        seen.add(qid);
        return true;
      })
      .map((line) => line.replace(/^\S+/, '1'));
    const file = join(dir, 'single.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = await cli(
      dir,
      'train',
      '-c',
      config,
      '--out',
      join(dir, 'runs/single'),
      '--quiet',
      '--set',
      `data.train=${file}`,
      '--set',
      'training.epochs=1',
    );
    expect(result.code).toBe(0);
    expect(result.err).toContain(
      `warning: ${file}: all ${seen.size} training queries have a single document: every ranking loss is 0 and the model cannot learn`,
    );
    expect(result.err).toContain(
      `warning: ${file}: task 'relevance' has the same label (1) on all ${seen.size} training documents: it gives no ranking signal`,
    );
  });
});
