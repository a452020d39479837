import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, memoryIo } from '../io.js';
import { runCli } from '../run.js';
import { writeTinyConfig, writeTinyData } from './train-fixtures.js';

let dir: string;

/** A two-task YAML config on a small MQ2008 subset, tiny model, cpu backend. */
function writeConfig(name: string, extra = ''): string {
  const data = writeTinyData(dir, { train: 32, vali: 16, test: 16 });
  return writeTinyConfig(dir, name, data, extra, ['ndcg@5', 'ndcg@10']);
}

async function run(io: CliIo & { out: string[]; err: string[] }, ...argv: string[]) {
  const code = await runCli(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtl2r-cli-train-'));
});

describe('mtl2r train', () => {
  it('trains from a YAML config with --set overrides and prints per-task test NDCG', async () => {
    const config = writeConfig('two-task.yaml');
    const { code, out, err } = await run(
      memoryIo(dir),
      'train',
      '-c',
      config,
      '--out',
      'runs/a',
      '--set',
      'optimizer.learningRate=0.005',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('training 2 task(s) [relevance, pagerank], 2 epochs x 4 batches');
    expect(out).toMatch(/^test\ntask\s+ndcg@5\s+ndcg@10\s+loss\n-+/m);
    expect(out).toMatch(/^relevance\s+0\.\d{4}\s+0\.\d{4}\s+\d+\.\d{4}$/m);
    expect(out).toMatch(/^pagerank\s+0\.\d{4}\s+0\.\d{4}\s+\d+\.\d{4}$/m);
    expect(out).toContain('completed after 2 epoch(s), 8 steps');
    const resolved = JSON.parse(readFileSync(join(dir, 'runs/a/config.json'), 'utf8'));
    expect(resolved.optimizer.learningRate).toBe(0.005);
    for (const file of [
      'run.json',
      'metrics.jsonl',
      'checkpoints/best/state.json',
      'checkpoints/last/model/weights.bin',
    ]) {
      expect(existsSync(join(dir, 'runs/a', file))).toBe(true);
    }
  });

  it('on SIGINT finishes the batch, writes last/ and exits 130; --resume ends where an uninterrupted run ends', async () => {
    const config = writeConfig('interrupt.yaml');
    await run(memoryIo(dir), 'train', '-c', config, '--out', 'runs/straight', '--quiet');

    const io = memoryIo(dir);
    let signalled = false;
    const interruptingIo = {
      ...io,
      stdout: (text: string) => {
        io.out.push(text);
        if (!signalled && /epoch 1\/2 batch 2\/4/.test(text)) {
          signalled = true;
          process.emit('SIGINT');
        }
      },
    };
    const stopped = await run(interruptingIo, 'train', '-c', config, '--out', 'runs/resumed');
    expect(stopped.code).toBe(130);
    expect(stopped.err).toContain('SIGINT: finishing the batch, then writing checkpoints/last');
    expect(stopped.err).toMatch(
      /error: interrupted by SIGINT at step 2: wrote .*runs\/resumed\/checkpoints\/last/,
    );
    expect(stopped.err).toContain('hint: continue with: mtl2r train --resume');
    expect(process.listenerCount('SIGINT')).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, 'runs/resumed/checkpoints/last/state.json'), 'utf8'));
    expect(state.progress).toMatchObject({ step: 2, finished: false });

    const resumed = await run(memoryIo(dir), 'train', '--resume', 'runs/resumed');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toContain('resuming 2 task(s)');
    const weights = (name: string) =>
      readFileSync(join(dir, `runs/${name}/checkpoints/last/model/weights.bin`));
    expect(weights('resumed').equals(weights('straight'))).toBe(true);
    expect(readFileSync(join(dir, 'runs/resumed/metrics.jsonl'), 'utf8')).toBe(
      readFileSync(join(dir, 'runs/straight/metrics.jsonl'), 'utf8'),
    );
  });

  it('handles SIGTERM like SIGINT: last/ written, exit 143, no handler left behind', async () => {
    const config = writeConfig('terminate.yaml');
    const io = memoryIo(dir);
    let signalled = false;
    const terminatingIo = {
      ...io,
      stdout: (text: string) => {
        io.out.push(text);
        if (!signalled && /epoch 1\/2 batch 1\/4/.test(text)) {
          signalled = true;
          process.emit('SIGTERM');
        }
      },
    };
    const stopped = await run(terminatingIo, 'train', '-c', config, '--out', 'runs/terminated');
    expect(stopped.code).toBe(143);
    expect(stopped.err).toContain('SIGTERM: finishing the batch, then writing checkpoints/last');
    expect(stopped.err).toMatch(
      /error: interrupted by SIGTERM at step 1: wrote .*runs\/terminated\/checkpoints\/last/,
    );
    expect(process.listenerCount('SIGTERM')).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, 'runs/terminated/checkpoints/last/state.json'), 'utf8'));
    expect(state.progress).toMatchObject({ step: 1, finished: false });
    expect(existsSync(join(dir, 'runs/terminated/run.lock'))).toBe(false);
  });

  it.each([
    [
      'an unknown strategy',
      ['--set', 'strategy.id=nosuch'],
      /strategy\.id: unknown strategy 'nosuch'; registered: .*ls/,
    ],
    ['a missing data file', ['--set', 'data.test=missing.txt'], /data\.test: file not found: .*missing\.txt/],
    [
      'a loss count that does not match the tasks',
      ['--set', 'losses=[{name: listNet}]'],
      /losses: 1 loss\(es\) for 2 task\(s\) \[relevance, pagerank\]/,
    ],
    [
      'a preference of the wrong length',
      ['--set', 'strategy.preference=[1, 2, 3]'],
      /strategy\.preference: expected 2 numbers \(one per task\), got 3/,
    ],
    [
      'a task that does not exist in the labels',
      ['--set', 'data.spec.tasks=[{name: relevance, source: label}, {name: x, feature: 99}]'],
      /data\.spec\.tasks\[1\]\.feature: feature 99 is beyond featureCount 46/,
    ],
    [
      'a bad value',
      ['--set', 'optimizer.learningRate=-1'],
      /optimizer\.learningRate: .*(>0|positive|greater)/i,
    ],
    ['an unknown key', ['--set', 'training.epoch=3'], /training: Unrecognized key: "epoch"/],
  ])('refuses %s before training starts, naming the config path', async (_what, overrides, message) => {
    const config = writeConfig('bad.yaml');
    const out = `runs/bad-${Math.random().toString(36).slice(2)}`;
    const { code, err } = await run(memoryIo(dir), 'train', '-c', config, '--out', out, ...overrides);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, out))).toBe(false); // nothing was written
  });

  it('needs exactly one of --config and --resume', async () => {
    const { code, err } = await run(memoryIo(dir), 'train');
    expect(code).toBe(2);
    expect(err).toContain('give exactly one of -c/--config FILE (a new run) or --resume RUN_DIR');
  });
});

describe('mtl2r train --set strategy.id=<id>', () => {
  /** Every installed strategy, with the preference or options its needs call for. */
  const variants: Record<string, string[]> = {
    ls: [],
    stl: ['--set', 'strategy.preference=[0,1]'],
    scaleinvls: [],
    wc: [],
    soft_wc: [],
    ec: [],
    rlw: [],
    uw: [],
    dwa: [],
    mgda: [],
    log_mgda: [],
    imtl: [],
    log_imtl: [],
    cagrad: [],
    log_cagrad: [],
    pcgrad: [],
    nashmtl: [],
    sdmgrad: [],
    famo: [],
    graddrop: [],
    epo: [],
    wc_mgda: [],
    stch: [],
    mamo: ['--set', 'model.perTaskHeads=true', '--set', 'strategy.options.searchSteps=1'],
    aligned_mtl: [],
    upgrad: [],
    config: [],
    fairgrad: [],
    db_mtl: [],
    gradvac: [],
    excess_mtl: [],
    pfl: ['--set', 'model.conditioning=input'],
  };

  it('switching to a strategy without a preference from the starter config drops it with a note', async () => {
    const config = writeConfig('strategy-switch.yaml');
    const { code, out, err } = await run(
      memoryIo(dir),
      'train',
      '-c',
      config,
      '--out',
      'runs/switch',
      '--quiet',
      '--set',
      'training.epochs=1',
      '--set',
      'strategy.id=mgda',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(
      "note: strategy.preference is not used by strategy 'mgda' (it takes no preference vector); ignoring it",
    );
  });

  it('lists exactly these strategies as installed', async () => {
    const { out } = await run(memoryIo(dir), 'strategies', '--json');
    const ids = (JSON.parse(out) as { id?: string }[]).map((row) => row.id).sort();
    expect(ids).toEqual(Object.keys(variants).sort());
  });

  for (const [id, extra] of Object.entries(variants)) {
    it(`trains with ${id} from the command line and prints finite test NDCG`, async () => {
      const config = writeConfig(`strategy-${id}.yaml`);
      const { code, out, err } = await run(
        memoryIo(dir),
        'train',
        '-c',
        config,
        '--out',
        `runs/${id}`,
        '--quiet',
        '--set',
        'training.epochs=1',
        '--set',
        `strategy.id=${id}`,
        ...extra,
      );
      expect(err).toBe('');
      expect(code).toBe(0);
      // the test table: task, ndcg@5, ndcg@10, loss
      const table =
        /^test\ntask\s+ndcg@5\s+ndcg@10\s+loss\n-[^\n]*\n(relevance[^\n]*)\n(pagerank[^\n]*)$/m.exec(out);
      expect(table).not.toBeNull();
      for (const row of [table?.[1], table?.[2]]) {
        const [ndcg5, ndcg10, loss] = (row ?? '').split(/\s+/).slice(1).map(Number);
        for (const ndcg of [ndcg5, ndcg10]) expect(ndcg !== undefined && ndcg > 0 && ndcg <= 1).toBe(true);
        expect(Number.isFinite(loss)).toBe(true);
      }
    });
  }
});
