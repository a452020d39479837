import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isUserError, type Json, UserError } from '@mtl2r/core';
import type { BatcherPosition } from '@mtl2r/data';
import { loadRanker, type Ranker, saveRanker } from '@mtl2r/encoder';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  NoCheckpointError,
  type OptimizerManifest,
  parseCheckpointState,
  parseOptimizerManifest,
  readJsonFile,
} from './checkpoint-files.js';
import type { OptimizerState } from './optimizer.js';

export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, NoCheckpointError } from './checkpoint-files.js';

const STATE_FILE = 'state.json';
const OPTIMIZER_MANIFEST = 'optimizer.json';
const OPTIMIZER_WEIGHTS = 'optimizer.bin';
const MODEL_DIR = 'model';

/** The trainer's own bookkeeping, enough to continue a run on the exact next batch. */
export interface TrainerProgress {
  /** Optimizer steps taken so far. */
  step: number;
  /** The epoch in progress (0-based). */
  epoch: number;
  batcher: BatcherPosition;
  /** Sum of each task's training loss over this epoch's steps so far, and their count. */
  epochLossSums: number[];
  epochSteps: number;
  /** Best early-stopping value so far, the epoch it came from, and validations since. */
  best: { value: number; epoch: number } | null;
  evaluationsWithoutImprovement: number;
  /** True once training has finished (epochs done or stopped early). */
  finished: boolean;
}

export interface CheckpointContents {
  ranker: Ranker;
  /** Saved in the model directory so the model can be used alone (data transform, task names). */
  modelExtras: Json;
  optimizer: OptimizerState;
  strategyState: Json;
  progress: TrainerProgress;
}

export interface LoadedCheckpoint {
  dir: string;
  ranker: Ranker;
  modelExtras: Json;
  optimizer: OptimizerState;
  strategyState: Json;
  progress: TrainerProgress;
}

/** The previous checkpoint kept beside `dir` (`last.previous`), used when `dir` turns out damaged. */
export function previousCopyOf(dir: string): string {
  return `${resolve(dir)}.previous`;
}

/**
 * Writes a checkpoint directory atomically: everything goes to a temporary sibling first (the state file
 * last), then the sibling replaces `dir` by rename and the replaced one becomes `dir.previous`. A kill at
 * any moment leaves either the previous checkpoint or the new one (possibly under `dir.old-*` for an
 * instant, which `readCheckpoint` finds and the next run's start puts back).
 */
export async function writeCheckpoint(dir: string, contents: CheckpointContents): Promise<void> {
  const target = resolve(dir);
  const unique = `${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  const temporary = `${target}.tmp-${unique}`;
  const replaced = `${target}.old-${unique}`;
  await mkdir(temporary, { recursive: true });
  try {
    await saveRanker(contents.ranker, join(temporary, MODEL_DIR), contents.modelExtras);
    const { manifest, bytes } = packOptimizer(contents.optimizer);
    await writeFile(join(temporary, OPTIMIZER_WEIGHTS), bytes);
    await writeFile(join(temporary, OPTIMIZER_MANIFEST), `${JSON.stringify(manifest)}\n`);
    const state = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      strategy: contents.strategyState,
      progress: contents.progress,
    };
    await writeFile(join(temporary, STATE_FILE), `${JSON.stringify(state, null, 1)}\n`);
    const replacing = existsSync(target);
    if (replacing) await rename(target, replaced);
    await rename(temporary, target);
    if (replacing) {
      const previous = previousCopyOf(target);
      await rm(previous, { recursive: true, force: true });
      await rename(replaced, previous);
    }
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

export interface ReadCheckpointOptions {
  /** Told when a damaged checkpoint was passed over for its previous copy. */
  onNote?: (message: string) => void;
}

/**
 * Reads a checkpoint written by `writeCheckpoint`. When `dir` is missing because a kill came between the
 * renames, the complete `dir.old-*` sibling is used instead. When it is damaged (unreadable JSON, a
 * weights checksum mismatch, wrong sizes), its intact previous copy `dir.previous` is used and `onNote`
 * says so; without one the error names the damaged file. No checkpoint at all is a `NoCheckpointError`.
 */
export async function readCheckpoint(
  dir: string,
  options: ReadCheckpointOptions = {},
): Promise<LoadedCheckpoint> {
  const previous = previousCopyOf(dir);
  let found: string;
  try {
    found = await locateCheckpoint(resolve(dir));
  } catch (error) {
    if (!(error instanceof NoCheckpointError) || !existsSync(join(previous, STATE_FILE))) throw error;
    const loaded = await readCheckpointAt(previous);
    options.onNote?.(
      `${resolve(dir)} is missing; using its previous copy ${previous} (step ${loaded.progress.step})`,
    );
    return loaded;
  }
  try {
    return await readCheckpointAt(found);
  } catch (error) {
    if (!isUserError(error) || found === previous || !existsSync(join(previous, STATE_FILE))) throw error;
    let loaded: LoadedCheckpoint;
    try {
      loaded = await readCheckpointAt(previous);
    } catch {
      throw error; // both damaged: report the one asked for
    }
    options.onNote?.(`${error.message}; using the previous copy ${previous} (step ${loaded.progress.step})`);
    return loaded;
  }
}

async function readCheckpointAt(found: string): Promise<LoadedCheckpoint> {
  const state = parseCheckpointState(await readJsonFile(join(found, STATE_FILE)), join(found, STATE_FILE));
  const manifestFile = join(found, OPTIMIZER_MANIFEST);
  const manifest = parseOptimizerManifest(await readJsonFile(manifestFile), manifestFile);
  const bytes = new Uint8Array(await readFile(join(found, OPTIMIZER_WEIGHTS)));
  const optimizer = unpackOptimizer(manifest, bytes, join(found, OPTIMIZER_WEIGHTS));
  const { ranker, extras } = await loadRanker(join(found, MODEL_DIR));
  return {
    dir: found,
    ranker,
    modelExtras: extras,
    optimizer,
    strategyState: state.strategy,
    progress: state.progress,
  };
}

/** `dir` if it holds a complete checkpoint, else a complete `dir.old-*` left by an interrupted swap. */
async function locateCheckpoint(dir: string): Promise<string> {
  if (existsSync(join(dir, STATE_FILE))) return dir;
  const parent = dirname(dir);
  const siblings = existsSync(parent) ? await readdir(parent) : [];
  const old = siblings.filter((name) => name.startsWith(`${basename(dir)}.old-`)).sort();
  for (const name of old.reverse()) if (existsSync(join(parent, name, STATE_FILE))) return join(parent, name);
  throw new NoCheckpointError(
    `no checkpoint at ${dir}: expected ${STATE_FILE}, ${OPTIMIZER_MANIFEST} and ${MODEL_DIR}/ written by mtl2r train`,
  );
}

function packOptimizer(state: OptimizerState): { manifest: OptimizerManifest; bytes: Uint8Array } {
  const total = state.slots.reduce((sum, slot) => sum + slot.values.length, 0);
  const values = new Float32Array(total);
  let offset = 0;
  const slots = state.slots.map((slot) => {
    values.set(slot.values, offset);
    const entry = { key: slot.key, shape: slot.shape, offset, length: slot.values.length };
    offset += slot.values.length;
    return entry;
  });
  return {
    manifest: { name: state.name, updates: state.updates, slots },
    bytes: new Uint8Array(values.buffer),
  };
}

function unpackOptimizer(manifest: OptimizerManifest, bytes: Uint8Array, source: string): OptimizerState {
  const total = manifest.slots.reduce((sum, slot) => sum + slot.length, 0);
  if (bytes.byteLength !== 4 * total)
    throw new UserError(`${source}: expected ${4 * total} bytes, found ${bytes.byteLength}`);
  const values = new Float32Array(bytes.slice().buffer);
  return {
    name: manifest.name,
    updates: manifest.updates,
    slots: manifest.slots.map((slot) => ({
      key: slot.key,
      shape: slot.shape,
      values: values.slice(slot.offset, slot.offset + slot.length),
    })),
  };
}
