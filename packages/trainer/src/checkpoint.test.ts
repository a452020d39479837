import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '@mtl2r/backend';
import { Registry } from '@mtl2r/core';
import { createRanker } from '@mtl2r/encoder';
import ls from '@mtl2r/strategy-ls';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CheckpointContents, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { parseTrainConfig } from './config.js';
import { smallConfig, writeMq2008Subset } from './test-support.js';
import { train } from './trainer.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

function contents(seed: number, step: number): CheckpointContents {
  return {
    ranker: createRanker(
      { featureCount: 3, taskCount: 2, modelDim: 4, blocks: 1, heads: 1, ffnDim: 4 },
      seed,
    ),
    modelExtras: { taskNames: ['a', 'b'] },
    optimizer: {
      name: 'adam',
      updates: step,
      slots: [{ key: 'w/m', shape: [2], values: Float32Array.from([step, -step]) }],
    },
    strategyState: { weights: [0.25, 0.75] },
    progress: {
      step,
      epoch: 1,
      batcher: { epoch: 1, cursor: 2, rng: { s: [1, 2, 3, 4] } },
      epochLossSums: [1.5, 2.5],
      epochSteps: 2,
      best: { value: 0.5, epoch: 0 },
      evaluationsWithoutImprovement: 0,
      finished: false,
    },
  };
}

describe('checkpoints', () => {
  it('round-trips weights, optimizer slots, strategy state and progress', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mtl2r-ckpt-')), 'last');
    const saved = contents(1, 7);
    await writeCheckpoint(dir, saved);
    const loaded = await readCheckpoint(dir);
    expect(loaded.progress).toEqual(saved.progress);
    expect(loaded.strategyState).toEqual({ weights: [0.25, 0.75] });
    expect(loaded.modelExtras).toEqual({ taskNames: ['a', 'b'] });
    expect(loaded.optimizer).toEqual(saved.optimizer);
    const original = saved.ranker.weights();
    for (const [name, variable] of Object.entries(loaded.ranker.weights())) {
      expect(Array.from(variable.dataSync())).toEqual(Array.from(original[name]?.dataSync() ?? []));
    }
    saved.ranker.dispose();
    loaded.ranker.dispose();
  });

  it('replaces the previous checkpoint whole, keeps it as .previous and leaves no temporary directories', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mtl2r-ckpt-'));
    const first = contents(1, 1);
    const second = contents(2, 2);
    await writeCheckpoint(join(root, 'last'), first);
    expect(readdirSync(root)).toEqual(['last']);
    await writeCheckpoint(join(root, 'last'), second);
    expect(readdirSync(root).sort()).toEqual(['last', 'last.previous']);
    const loaded = await readCheckpoint(join(root, 'last'));
    expect(loaded.progress.step).toBe(2);
    const previous = await readCheckpoint(join(root, 'last.previous'));
    expect(previous.progress.step).toBe(1);
    tf.dispose(
      [first.ranker, second.ranker, loaded.ranker, previous.ranker].flatMap((r) =>
        r.namedVariables().map((v) => v.variable),
      ),
    );
  });

  it('a kill at any moment leaves a loadable checkpoint: half-written temporaries are ignored, a swap cut between renames is found', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mtl2r-ckpt-'));
    const saved = contents(3, 5);
    await writeCheckpoint(join(root, 'last'), saved);
    // Killed while writing the next one: a temporary without its state file.
    mkdirSync(join(root, 'last.tmp-999-x', 'model'), { recursive: true });
    writeFileSync(join(root, 'last.tmp-999-x', 'optimizer.bin'), 'partial');
    expect((await readCheckpoint(join(root, 'last'))).progress.step).toBe(5);
    // Killed between "last -> last.old-*" and "tmp -> last".
    cpSync(join(root, 'last'), join(root, 'last.tmp-1000-y'), { recursive: true });
    renameSync(join(root, 'last'), join(root, 'last.old-1000-y'));
    expect(existsSync(join(root, 'last'))).toBe(false);
    const recovered = await readCheckpoint(join(root, 'last'));
    expect(recovered.dir).toBe(join(root, 'last.old-1000-y'));
    expect(recovered.progress.step).toBe(5);
    saved.ranker.dispose();
    recovered.ranker.dispose();
  });

  it('says what is missing when there is no checkpoint', async () => {
    await expect(readCheckpoint(join(tmpdir(), 'mtl2r-no-such-run', 'last'))).rejects.toThrow(
      /no checkpoint at .*last: expected state\.json, optimizer\.json and model\//,
    );
  });

  it('a damaged checkpoint falls back to its previous copy with a note; without one the error names the file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mtl2r-ckpt-'));
    const first = contents(1, 1);
    const second = contents(2, 2);
    await writeCheckpoint(join(root, 'last'), first);
    await writeCheckpoint(join(root, 'last'), second);
    writeFileSync(join(root, 'last', 'state.json'), '{"format": "mtl2r-checkpoint", "vers');
    const notes: string[] = [];
    const loaded = await readCheckpoint(join(root, 'last'), { onNote: (note) => notes.push(note) });
    expect(loaded.progress.step).toBe(1);
    expect(loaded.dir).toBe(join(root, 'last.previous'));
    expect(notes).toEqual([
      expect.stringMatching(
        /^.*last\/state\.json: not valid JSON \(.*\): the checkpoint is damaged; using the previous copy .*last\.previous \(step 1\)$/,
      ),
    ]);
    // A state that parses but is not a checkpoint's: the field is named.
    writeFileSync(
      join(root, 'last.previous', 'state.json'),
      '{"format": "mtl2r-checkpoint", "version": 1, "strategy": null, "progress": {"step": -1}}',
    );
    await expect(readCheckpoint(join(root, 'last'))).rejects.toThrow(
      /last\/state\.json: not valid JSON .*: the checkpoint is damaged$/,
    );
    await expect(readCheckpoint(join(root, 'last.previous'))).rejects.toThrow(
      /last\.previous\/state\.json: not an mtl2r-checkpoint v1 state file \(progress\.step: .*\): the checkpoint is damaged/,
    );
    tf.dispose(
      [first.ranker, second.ranker, loaded.ranker].flatMap((r) => r.namedVariables().map((v) => v.variable)),
    );
  });

  it('SIGKILL of a training process while it writes checkpoints leaves last/ loadable and resumable', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mtl2r-kill-'));
    const files = writeMq2008Subset(join(root, 'data'), { train: 8, vali: 4, test: 4 });
    // Many small epochs: checkpoints are written all the time, so the kill lands near one.
    const config = smallConfig(files, {
      training: { epochs: 200, batchSize: 4 },
      evaluation: { metrics: ['ndcg@10'] },
    });
    writeFileSync(join(root, 'config.json'), JSON.stringify(config));
    const runDir = join(root, 'run');
    const script = `
      import { readFileSync } from 'node:fs';
      import { selectBackend } from '@mtl2r/backend';
      import { Registry } from '@mtl2r/core';
      import ls from '@mtl2r/strategy-ls';
      import { parseTrainConfig, train } from '@mtl2r/trainer';
      await selectBackend({ backend: 'cpu' });
      const config = parseTrainConfig(JSON.parse(readFileSync(${JSON.stringify(join(root, 'config.json'))}, 'utf8')));
      await train({ config, registry: new Registry().use(ls), runDir: ${JSON.stringify(runDir)}, onEvent: (e) => { if (e.type === 'checkpoint') process.stdout.write(e.which + '\\n'); } });
    `;
    const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
    const child = spawn(
      process.execPath,
      ['--conditions=@mtl2r/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let written = 0;
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        written += chunk
          .toString()
          .split('\n')
          .filter((l) => l === 'last').length;
        // After a few checkpoints, kill at an arbitrary moment of the next epoch.
        if (written === 3) setTimeout(() => child.kill('SIGKILL'), 37);
      });
      child.on('exit', () => resolve());
    });
    // Killed, not finished on its own.
    expect(child.signalCode).toBe('SIGKILL');
    const last = await readCheckpoint(join(runDir, 'checkpoints', 'last'));
    expect(last.progress.epoch).toBeGreaterThanOrEqual(3);
    last.ranker.dispose();
    // And training continues from it (two more epochs).
    const resumed = await train({
      config: parseTrainConfig({
        ...config,
        training: { ...config.training, epochs: last.progress.epoch + 2 },
      }),
      registry: new Registry().use(ls),
      runDir,
      resume: true,
    });
    expect(resumed.status).toBe('completed');
    expect(resumed.epochs).toBe(last.progress.epoch + 2);
  });
});
