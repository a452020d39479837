import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRanker, type Ranker } from './ranker.js';
import { loadRanker, saveRanker } from './save-load.js';

let root = '';
beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
  root = await mkdtemp(join(tmpdir(), 'mtl2r-encoder-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const config = {
  featureCount: 2,
  modelDim: 4,
  blocks: 1,
  heads: 2,
  ffnDim: 3,
  taskCount: 1,
  layerNorm: 'allrank' as const,
};

function scores(ranker: Ranker): number[] {
  return tf.tidy(() =>
    Array.from(
      ranker
        .apply(
          tf.tensor3d([
            [
              [1, -1],
              [0.5, 2],
            ],
          ]),
          tf.tensor2d([[1, 1]]),
        )
        .dataSync(),
    ),
  );
}

describe('saveRanker / loadRanker', () => {
  it('writes model.json + weights.bin and loads them back to identical scores', async () => {
    const original = createRanker(config, 5);
    const dir = join(root, 'nested', 'best');
    await saveRanker(original, dir, { transform: 'log1p' });
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(manifest.format).toBe('mtl2r-ranker');
    expect(manifest.config.layerNorm).toBe('allrank');
    const { ranker, extras } = await loadRanker(dir);
    expect(scores(ranker)).toEqual(scores(original));
    expect(extras).toEqual({ transform: 'log1p' });
    original.dispose();
    ranker.dispose();
  });

  it('replaces an existing save whole and leaves no temporary directories', async () => {
    const first = createRanker(config, 1);
    const second = createRanker(config, 2);
    const dir = join(root, 'last');
    await saveRanker(first, dir);
    await saveRanker(second, dir);
    expect((await readdir(root)).filter((name) => name.startsWith('last'))).toEqual(['last']);
    const { ranker } = await loadRanker(dir);
    expect(scores(ranker)).toEqual(scores(second));
    expect(scores(ranker)).not.toEqual(scores(first));
    for (const r of [first, second, ranker]) r.dispose();
  });

  it('names a missing file and what was expected', async () => {
    const dir = join(root, 'empty');
    await expect(loadRanker(dir)).rejects.toThrow(
      `${join(dir, 'model.json')}: not found; expected a ranker directory written by saveRanker (model.json and weights.bin)`,
    );
    const ranker = createRanker(config, 3);
    const saved = join(root, 'no-weights');
    await saveRanker(ranker, saved);
    await rm(join(saved, 'weights.bin'));
    await expect(loadRanker(saved)).rejects.toThrow(`${join(saved, 'weights.bin')}: not found`);
    ranker.dispose();
  });

  it('names a corrupt file', async () => {
    const ranker = createRanker(config, 4);
    const dir = join(root, 'corrupt');
    await saveRanker(ranker, dir);
    await writeFile(join(dir, 'weights.bin'), new Uint8Array(12));
    await expect(loadRanker(dir)).rejects.toThrow(
      `${join(dir, 'weights.bin')}: expected ${4 * ranker.parameterCount()} bytes`,
    );
    await writeFile(join(dir, 'model.json'), '{ not json');
    await expect(loadRanker(dir)).rejects.toThrow(`${join(dir, 'model.json')}: not valid JSON`);
    ranker.dispose();
  });

  it('refuses weights whose bytes changed since they were saved (sha256 in model.json)', async () => {
    const ranker = createRanker(config, 7);
    const dir = join(root, 'flipped');
    await saveRanker(ranker, dir);
    const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(manifest.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    const bytes = new Uint8Array(await readFile(join(dir, 'weights.bin')));
    bytes[5] = (bytes[5] as number) ^ 0x01; // one flipped bit: still finite, slightly different scores
    await writeFile(join(dir, 'weights.bin'), bytes);
    await expect(loadRanker(dir)).rejects.toThrow(
      new RegExp(
        `${join(dir, 'weights.bin')}: checksum mismatch \\(sha256 [0-9a-f]{12}\\.\\.\\., .*model\\.json records ${manifest.weightsSha256.slice(0, 12)}\\.\\.\\.\\): the weights file is damaged`,
      ),
    );
    ranker.dispose();
  });

  it('refuses NaN weights, naming the tensor (a manifest without a checksum still loads when sound)', async () => {
    const ranker = createRanker(config, 8);
    const dir = join(root, 'nan');
    await saveRanker(ranker, dir);
    const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    delete manifest.weightsSha256;
    await writeFile(join(dir, 'model.json'), JSON.stringify(manifest));
    const reloaded = await loadRanker(dir);
    expect(scores(reloaded.ranker)).toEqual(scores(ranker));
    reloaded.ranker.dispose();
    const values = new Float32Array(new Uint8Array(await readFile(join(dir, 'weights.bin'))).buffer);
    values[2] = Number.NaN;
    await writeFile(join(dir, 'weights.bin'), new Uint8Array(values.buffer));
    const first = manifest.weightsManifest[0].weights[0].name;
    await expect(loadRanker(dir)).rejects.toThrow(
      `${join(dir, 'weights.bin')}: weight '${first}'[2] is NaN: a model with non-finite weights cannot score`,
    );
    ranker.dispose();
  });

  it('refuses a manifest that points outside its directory', async () => {
    const ranker = createRanker(config, 6);
    const dir = join(root, 'escape');
    await saveRanker(ranker, dir);
    const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    manifest.weightsManifest[0].paths = ['../weights.bin'];
    await writeFile(join(dir, 'model.json'), JSON.stringify(manifest));
    await expect(loadRanker(dir)).rejects.toThrow(
      "weightsManifest[0].paths[0] must be a file name in the same directory, got '../weights.bin'",
    );
    ranker.dispose();
  });
});
