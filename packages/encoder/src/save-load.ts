import type { Json } from '@mtl2r/core';
import { UserError } from '@mtl2r/core';
import {
  expectedWeightBytes,
  MANIFEST_FILE,
  parseRankerManifest,
  rankerFromArtifacts,
  rankerToArtifacts,
} from './artifacts.js';
import type { Ranker } from './ranker.js';

/*
 * Node file I/O for rankers. `node:fs` and `node:path` are imported lazily so that a browser bundle of
 * this package (which uses rankerFromArtifacts) never loads them.
 */

/**
 * Writes `dir/model.json` and `dir/weights.bin`. Both are written into a temporary sibling directory
 * first and renamed into place, so `dir` is either the old save or the complete new one, never half written.
 */
export async function saveRanker(ranker: Ranker, dir: string, extras: Json = null): Promise<void> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const { createHash } = await import('node:crypto');
  const { manifest, weights } = rankerToArtifacts(ranker, extras);
  manifest.weightsSha256 = createHash('sha256').update(new Uint8Array(weights)).digest('hex');
  const target = path.resolve(dir);
  const unique = `${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  const temporary = `${target}.tmp-${unique}`;
  const previous = `${target}.old-${unique}`;
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.mkdir(temporary);
  try {
    await fs.writeFile(
      path.join(temporary, manifest.weightsManifest[0]?.paths[0] ?? 'weights.bin'),
      new Uint8Array(weights),
    );
    await fs.writeFile(path.join(temporary, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    const replacing = await exists(fs, target);
    if (replacing) await fs.rename(target, previous);
    try {
      await fs.rename(temporary, target);
    } catch (error) {
      if (replacing) await fs.rename(previous, target);
      throw error;
    }
    if (replacing) await fs.rm(previous, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Reads a directory written by `saveRanker`; errors name the file and what was expected. The weights must
 * match the sha256 recorded in model.json (manifests written before the checksum existed load unchecked).
 */
export async function loadRanker(dir: string): Promise<{ ranker: Ranker; extras: Json }> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const manifestText = await readOrExplain(fs, manifestPath, 'utf8');
  const manifest = parseRankerManifest(manifestText, manifestPath);
  const weightsName = manifest.weightsManifest[0]?.paths[0] ?? '';
  // The manifest may only point at a file beside it.
  if (weightsName !== path.basename(weightsName) || weightsName === '..' || weightsName === '.') {
    throw new UserError(
      `${manifestPath}: weightsManifest[0].paths[0] must be a file name in the same directory, got '${weightsName}'`,
    );
  }
  const weightsPath = path.join(dir, weightsName);
  const weights = await readOrExplain(fs, weightsPath);
  // A file of the wrong size gets the clearer size message from rankerFromArtifacts.
  if (manifest.weightsSha256 !== undefined && weights.byteLength === expectedWeightBytes(manifest)) {
    const { createHash } = await import('node:crypto');
    const actual = createHash('sha256').update(weights).digest('hex');
    if (actual !== manifest.weightsSha256) {
      throw new UserError(
        `${weightsPath}: checksum mismatch (sha256 ${actual.slice(0, 12)}..., ${manifestPath} records ${manifest.weightsSha256.slice(0, 12)}...): the weights file is damaged or belongs to another model`,
        { hint: 'restore it from a copy, or use another checkpoint' },
      );
    }
  }
  return rankerFromArtifacts(manifest, weights, { manifest: manifestPath, weights: weightsPath });
}

type Fs = typeof import('node:fs/promises');

async function readOrExplain(fs: Fs, file: string): Promise<Uint8Array>;
async function readOrExplain(fs: Fs, file: string, encoding: 'utf8'): Promise<string>;
async function readOrExplain(fs: Fs, file: string, encoding?: 'utf8'): Promise<Uint8Array | string> {
  try {
    return encoding === undefined
      ? new Uint8Array(await fs.readFile(file))
      : await fs.readFile(file, encoding);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UserError(
        `${file}: not found; expected a ranker directory written by saveRanker (model.json and weights.bin)`,
      );
    }
    throw new UserError(`${file}: cannot be read (${(error as Error).message})`);
  }
}

async function exists(fs: Fs, file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
