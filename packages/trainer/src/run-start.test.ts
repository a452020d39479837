import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { Registry } from '@mtl2r/core';
import ls from '@mtl2r/strategy-ls';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrainConfig } from './config.js';
import { createRunDirectory, runPaths } from './run-directory.js';
import { smallConfig, writeMq2008Subset } from './test-support.js';
import { type TrainingEvent, train } from './trainer.js';

let files: { train: string; vali: string; test: string };

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
  files = writeMq2008Subset(mkdtempSync(join(tmpdir(), 'mtl2r-start-data-')), { train: 8, vali: 4, test: 4 });
});

const config = () => parseTrainConfig(smallConfig(files, { training: { epochs: 1, batchSize: 4 } }));

describe('startRun through train', () => {
  it('--resume of a run stopped before its first checkpoint starts it from the beginning, with a warning', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mtl2r-start-'));
    const straight = join(root, 'straight');
    await train({ config: config(), registry: new Registry().use(ls), runDir: straight });

    // What a kill during the first epoch leaves: config.json, a torn run.json, a partial metrics log.
    const cut = join(root, 'cut');
    createRunDirectory(cut, config(), { name: 'cpu' });
    writeFileSync(runPaths(cut).run, '{"seed": 3, "back');
    writeFileSync(runPaths(cut).metrics, '{"metric":"loss","value":2.1,"step":1}\n{"metr');
    const events: TrainingEvent[] = [];
    const result = await train({
      config: config(),
      registry: new Registry().use(ls),
      runDir: cut,
      resume: true,
      onEvent: (event) => events.push(event),
    });
    expect(events.filter((e) => e.type === 'warning')).toEqual([
      {
        type: 'warning',
        message: `${cut} has no checkpoint yet (the run stopped before its first epoch ended): starting it from the beginning`,
      },
    ]);
    expect(events.find((e) => e.type === 'start')).toMatchObject({ resumed: false, step: 0 });
    expect(result.status).toBe('completed');
    const bytes = (run: string, file: string) => readFileSync(join(run, file));
    expect(
      bytes(cut, 'checkpoints/last/model/weights.bin').equals(
        bytes(straight, 'checkpoints/last/model/weights.bin'),
      ),
    ).toBe(true);
    expect(bytes(cut, 'metrics.jsonl').equals(bytes(straight, 'metrics.jsonl'))).toBe(true);
    expect(JSON.parse(readFileSync(runPaths(cut).run, 'utf8')).seed).toBe(3);
  });

  it('--resume of a directory that holds no run is an error, and writes nothing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mtl2r-start-empty-'));
    await expect(
      train({ config: config(), registry: new Registry().use(ls), runDir: empty, resume: true }),
    ).rejects.toThrow(
      /no checkpoint at .*checkpoints\/last: expected state\.json, optimizer\.json and model\//,
    );
    expect(readdirSync(empty)).toEqual([]); // not even the lock is left
  });
});
