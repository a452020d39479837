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

// predict and eval never print silent garbage: damaged or non-finite weights, missing columns, bad output
// paths all exit 2 with the file and the cause, and no scores file (not even half of one) is written.
let dir: string;
let data: TinyData;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtl2r-cli-predict-faults-'));
  data = writeTinyData(dir);
  base = join(dir, 'runs/base');
  const config = writeTinyConfig(dir, 'base.yaml', data);
  expect((await cli(dir, 'train', '-c', config, '--out', base, '--quiet')).code).toBe(0);
});

function copyOfBase(name: string): string {
  const run = join(dir, 'runs', name);
  cpSync(base, run, { recursive: true });
  return run;
}

function expectCleanError(result: { code: number; err: string }, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.err).toMatch(message);
  expect(result.err).not.toContain('internal error');
}

/** The test file with every feature id above `largest` removed from each line. */
function withFeaturesUpTo(largest: number, name: string): string {
  const lines = readFileSync(data.test, 'utf8')
    .split('\n')
    .map((line) => line.replace(/ (\d+):(\S+)/g, (token, id: string) => (Number(id) > largest ? '' : token)));
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n'));
  return file;
}

const predict = (run: string, out: string, ...extra: string[]) =>
  cli(dir, 'predict', run, '--data', data.test, '--out', out, '--backend', 'cpu', ...extra);

describe('predict and eval refuse broken weights', () => {
  it('NaN weights: exit 2 naming the tensor, no scores written', async () => {
    const run = copyOfBase('nan');
    const file = join(run, 'checkpoints/best/model/weights.bin');
    const values = new Float32Array(new Uint8Array(readFileSync(file)).buffer);
    values[3] = Number.NaN;
    writeFileSync(file, new Uint8Array(values.buffer));
    rmSync(join(run, 'checkpoints/best.previous'), { recursive: true, force: true });
    const out = join(dir, 'nan.tsv');
    // The checksum catches the change first; without it the NaN itself is named.
    expectCleanError(await predict(run, out), /weights\.bin: checksum mismatch/);
    const manifestFile = join(run, 'checkpoints/best/model/model.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    delete manifest.weightsSha256;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expectCleanError(
      await predict(run, out),
      /weights\.bin: weight '.+'\[3\] is NaN: a model with non-finite weights cannot score/,
    );
    expect(existsSync(out)).toBe(false);
    expect(listFiles(dir).filter((f) => f.startsWith('nan.tsv'))).toEqual([]);
  });

  it('a flipped byte in weights.bin: exit 2 (checksum); eval too', async () => {
    const run = copyOfBase('flipped');
    rmSync(join(run, 'checkpoints/best.previous'), { recursive: true, force: true });
    const file = join(run, 'checkpoints/best/model/weights.bin');
    const bytes = new Uint8Array(readFileSync(file));
    bytes[10] = (bytes[10] as number) ^ 0x04;
    writeFileSync(file, bytes);
    expectCleanError(
      await predict(run, join(dir, 'flipped.tsv')),
      /best\/model\/weights\.bin: checksum mismatch \(sha256 /,
    );
    expectCleanError(
      await cli(dir, 'eval', run, '--data', data.test, '--backend', 'cpu'),
      /best\/model\/weights\.bin: checksum mismatch/,
    );
    expect(existsSync(join(dir, 'flipped.tsv'))).toBe(false);
  });

  it("a damaged model.json: the checkpoint's previous copy is used, with a warning", async () => {
    const run = copyOfBase('damaged-model');
    truncateSync(join(run, 'checkpoints/last/model/model.json'), 30);
    const out = join(dir, 'previous.tsv');
    const result = await predict(run, out, '--checkpoint', 'last');
    expect(result.err).toMatch(
      /^warning: .*last\/model\/model\.json: not valid JSON .*; using the previous copy .*last\.previous\/model\n$/,
    );
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('qid\tdoc\tscore');
  });

  it('non-finite scores from finite weights (overflowing input) are refused, not written', async () => {
    const lines = readFileSync(data.test, 'utf8').split('\n');
    lines[1] = (lines[1] as string).replace(/ (\d+):\S+/g, ' $1:3e38');
    const huge = join(dir, 'huge.txt');
    writeFileSync(huge, lines.join('\n'));
    const out = join(dir, 'huge.tsv');
    const result = await cli(dir, 'predict', base, '--data', huge, '--out', out, '--backend', 'cpu');
    expectCleanError(
      result,
      /the model gives \d+ non-finite score\(s\) on .*huge\.txt, the first for qid \d+ document \d+; no scores were written/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('missing columns', () => {
  it('input features absent from the file: exit 2 with the counts; --allow-missing-features scores with a warning', async () => {
    const narrow = withFeaturesUpTo(40, 'narrow.txt');
    const out = join(dir, 'narrow.tsv');
    const refused = await cli(dir, 'predict', base, '--data', narrow, '--out', out, '--backend', 'cpu');
    expectCleanError(
      refused,
      /narrow\.txt: 5 of the model's 45 input features are absent \(ids 42, 43, 44, 45, 46\): the file's largest feature id is 40/,
    );
    expect(refused.err).toContain('--allow-missing-features');
    expect(existsSync(out)).toBe(false);
    const allowed = await cli(
      dir,
      'predict',
      base,
      '--data',
      narrow,
      '--out',
      out,
      '--backend',
      'cpu',
      '--allow-missing-features',
    );
    expect(allowed.code).toBe(0);
    expect(allowed.err).toMatch(
      /^warning: .*narrow\.txt: 5 of the model's 45 input features are absent .*; they are read as 0 \(--allow-missing-features\)\n$/,
    );
  });

  it("eval refuses a file without a task's label column instead of reporting NDCG 1.0", async () => {
    const noLabel = withFeaturesUpTo(40, 'no-pagerank.txt');
    const result = await cli(
      dir,
      'eval',
      base,
      '--data',
      noLabel,
      '--backend',
      'cpu',
      '--allow-missing-features',
    );
    expectCleanError(
      result,
      /no-pagerank\.txt: the label column of task 'pagerank' \(feature 41\) is absent: the file's largest feature id is 40; metrics without labels would be meaningless/,
    );
    expect(result.err).not.toContain('1.0000');
  });

  it('a byte-order mark at the start of the file is skipped: same scores as without it', async () => {
    const bom = join(dir, 'bom.txt');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(data.test)]));
    const plain = await cli(
      dir,
      'predict',
      base,
      '--data',
      data.test,
      '--out',
      join(dir, 'plain.tsv'),
      '--backend',
      'cpu',
    );
    const marked = await cli(
      dir,
      'predict',
      base,
      '--data',
      bom,
      '--out',
      join(dir, 'bom.tsv'),
      '--backend',
      'cpu',
    );
    expect([plain.code, marked.code]).toEqual([0, 0]);
    expect(readFileSync(join(dir, 'bom.tsv'), 'utf8')).toBe(readFileSync(join(dir, 'plain.tsv'), 'utf8'));
  });
});

describe('output paths', () => {
  it('predict --out that is a directory: exit 2 before any work, the directory untouched', async () => {
    const out = join(dir, 'a-folder');
    mkdirSync(out);
    expectCleanError(
      await predict(base, out),
      /--out .*a-folder is a directory: expected the path of the TSV file to write/,
    );
    expect(listFiles(out)).toEqual([]);
  });

  it('predict --out in an unwritable place: exit 2 with the path and the cause, no temporary left', async () => {
    expectCleanError(
      await predict(base, '/sys/mtl2r-scores.tsv'),
      /error: cannot open \/sys\/mtl2r-scores\.tsv\.tmp-\d+: (permission denied|operation not permitted|read-only file system) \((EACCES|EPERM|EROFS)\)/,
    );
  });
});
