import { readFile } from 'node:fs/promises';
import { type Json, UserError } from '@mtl2r/core';
import { z } from 'zod';
import type { TrainerProgress } from './checkpoint.js';
import type { OptimizerState } from './optimizer.js';

export const CHECKPOINT_FORMAT = 'mtl2r-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** There is no checkpoint at all (as opposed to a damaged one). */
export class NoCheckpointError extends UserError {
  override name = 'NoCheckpointError';
}

/** The optimizer's manifest (`optimizer.json`); the values are in `optimizer.bin`. */
export interface OptimizerManifest {
  name: OptimizerState['name'];
  updates: number;
  slots: { key: string; shape: number[]; offset: number; length: number }[];
}

/** Reads and parses a JSON file; a truncated or otherwise damaged one is a UserError naming it. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `${file}: ${code === 'ENOENT' ? 'not found' : `cannot be read (${(error as Error).message})`}: the checkpoint is incomplete`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message}): the checkpoint is damaged`);
  }
}

const count = z.number().int().nonnegative();

const progressSchema = z.object({
  step: count,
  epoch: count,
  batcher: z.object({ epoch: count, cursor: count, rng: z.json() }),
  epochLossSums: z.array(z.number()),
  epochSteps: count,
  best: z.object({ value: z.number(), epoch: count }).nullable(),
  evaluationsWithoutImprovement: count,
  finished: z.boolean(),
});

const stateSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.literal(CHECKPOINT_VERSION),
  strategy: z.json(),
  progress: progressSchema,
});

/** Validates `state.json`: format, version and every progress field the trainer continues from. */
export function parseCheckpointState(
  value: unknown,
  file: string,
): { strategy: Json; progress: TrainerProgress } {
  const result = stateSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    throw new UserError(
      `${file}: not an ${CHECKPOINT_FORMAT} v${CHECKPOINT_VERSION} state file (${where}${issue?.message ?? 'invalid'}): the checkpoint is damaged`,
    );
  }
  return {
    strategy: result.data.strategy as Json,
    // The batcher checks its rng state itself when restored.
    progress: result.data.progress as unknown as TrainerProgress,
  };
}

const manifestSchema = z.object({
  name: z.string(),
  updates: count,
  slots: z.array(z.object({ key: z.string(), shape: z.array(count), offset: count, length: count })),
});

export function parseOptimizerManifest(value: unknown, file: string): OptimizerManifest {
  const result = manifestSchema.safeParse(value);
  if (!result.success) {
    throw new UserError(
      `${file}: not an optimizer manifest (${result.error.issues[0]?.message ?? 'invalid'}): the checkpoint is damaged`,
    );
  }
  return result.data as OptimizerManifest;
}
