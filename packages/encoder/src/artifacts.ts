import { ConfigError, type Json, toConfigIssue, UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { rankerConfigSchema } from './config.js';
import { Ranker } from './ranker.js';

export const RANKER_FORMAT = 'mtl2r-ranker';
export const RANKER_FORMAT_VERSION = 1;
/** File names inside a saved ranker directory. */
export const MANIFEST_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

const weightSpecSchema = z
  .object({
    name: z.string().min(1),
    shape: z.array(z.number().int().nonnegative()),
    dtype: z.literal('float32'),
  })
  .strict();

/**
 * `model.json`: the architecture, the seed (so modules grown after loading initialise as in the original
 * run), the grown pair modules, the weights in tfjs's weightsManifest format, and a free JSON slot for
 * the feature and label transforms the app must apply before scoring.
 */
export const rankerManifestSchema = z
  .object({
    format: z.literal(RANKER_FORMAT),
    formatVersion: z.literal(RANKER_FORMAT_VERSION),
    /** Dense weights are stored [in, out]: y = x W + b (the transpose of PyTorch's Linear.weight). */
    weightLayout: z.literal('in-out'),
    config: rankerConfigSchema,
    seed: z.union([z.number(), z.string()]),
    pairModules: z.array(
      z
        .object({
          taskA: z.number().int().nonnegative(),
          taskB: z.number().int().nonnegative(),
          block: z.number().int().nonnegative(),
        })
        .strict(),
    ),
    weightsManifest: z
      .array(
        z
          .object({ paths: z.array(z.string().min(1)).length(1), weights: z.array(weightSpecSchema) })
          .strict(),
      )
      .length(1),
    extras: z.json(),
    /**
     * sha256 (hex) of the weights file, written by `saveRanker` and checked by `loadRanker`: a flipped byte
     * must not load as a slightly different model. Absent in manifests built in memory.
     */
    weightsSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { message: 'expected 64 lower-case hex digits (a sha256)' })
      .optional(),
  })
  .strict();

export type RankerManifest = z.output<typeof rankerManifestSchema>;

/** A saved ranker in memory: the manifest object and the weights bytes (what `model.json` and `weights.bin` hold). */
export interface RankerArtifacts {
  manifest: RankerManifest;
  weights: ArrayBuffer;
}

/** Names used in error messages, e.g. the files the artifacts came from. */
export interface ArtifactSources {
  manifest?: string;
  weights?: string;
}

/** Serialises the ranker: architecture, pair modules, float32 weights concatenated in variable order, and `extras`. */
export function rankerToArtifacts(ranker: Ranker, extras: Json = null): RankerArtifacts {
  const records = ranker.namedVariables();
  const total = records.reduce((sum, r) => sum + r.variable.size, 0);
  const values = new Float32Array(total);
  let offset = 0;
  for (const record of records) {
    values.set(record.variable.dataSync() as Float32Array, offset);
    offset += record.variable.size;
  }
  const manifest: RankerManifest = {
    format: RANKER_FORMAT,
    formatVersion: RANKER_FORMAT_VERSION,
    weightLayout: 'in-out',
    config: ranker.config,
    seed: ranker.seed,
    pairModules: ranker.pairModules().map(({ taskA, taskB, block }) => ({ taskA, taskB, block })),
    weightsManifest: [
      {
        paths: [WEIGHTS_FILE],
        weights: records.map((r) => ({
          name: r.name,
          shape: [...r.variable.shape],
          dtype: 'float32' as const,
        })),
      },
    ],
    extras,
  };
  return { manifest, weights: values.buffer };
}

/**
 * Rebuilds a ranker from a manifest (object or JSON text) and its weights bytes, with tfjs-core alone
 * (works in a browser: fetch both files and pass them here). Validates the manifest and that the bytes
 * are exactly what it describes.
 */
export function rankerFromArtifacts(
  manifestInput: unknown,
  weights: ArrayBuffer | Uint8Array,
  sources: ArtifactSources = {},
): { ranker: Ranker; extras: Json } {
  const manifestName = sources.manifest ?? MANIFEST_FILE;
  const weightsName = sources.weights ?? WEIGHTS_FILE;
  const manifest = parseRankerManifest(manifestInput, manifestName);
  const specs = manifest.weightsManifest[0]?.weights ?? [];
  const bytes = weights instanceof Uint8Array ? weights : new Uint8Array(weights);
  const expectedBytes = expectedWeightBytes(manifest);
  if (bytes.byteLength !== expectedBytes) {
    throw new UserError(
      `${weightsName}: expected ${expectedBytes} bytes (${specs.length} float32 tensors listed in ${manifestName}), found ${bytes.byteLength}`,
    );
  }
  const ranker = new Ranker(manifest.config, manifest.seed);
  try {
    for (const module of manifest.pairModules) ranker.addPairModule(module.taskA, module.taskB, module.block);
    tf.tidy(() => {
      const values: Record<string, tf.Tensor> = {};
      let offset = 0;
      for (const spec of specs) {
        const size = elementCount(spec.shape);
        // Copy so the slice is 4-byte aligned whatever view the caller passed.
        const slice = bytes.slice(offset, offset + 4 * size);
        values[spec.name] = tf.tensor(new Float32Array(slice.buffer), spec.shape, 'float32');
        offset += 4 * size;
      }
      ranker.setWeights(values, `${manifestName} + ${weightsName}`);
    });
    assertFiniteWeights(bytes, specs, weightsName);
  } catch (error) {
    ranker.dispose();
    throw error;
  }
  return { ranker, extras: manifest.extras };
}

/** Parses and validates `model.json` content; errors name the file and the failing path. */
export function parseRankerManifest(input: unknown, source = MANIFEST_FILE): RankerManifest {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new UserError(
        `${source}: not valid JSON (${(error as Error).message}); expected a ranker manifest written by saveRanker`,
      );
    }
  }
  if (typeof value === 'object' && value !== null && 'format' in value && value.format === RANKER_FORMAT) {
    const version = (value as { formatVersion?: unknown }).formatVersion;
    if (typeof version === 'number' && version > RANKER_FORMAT_VERSION) {
      throw new UserError(
        `${source}: format version ${version} is newer than this @mtl2r/encoder reads (${RANKER_FORMAT_VERSION}); upgrade it`,
      );
    }
  }
  const result = rankerManifestSchema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(
      `${source}: not a valid ${RANKER_FORMAT} manifest`,
      result.error.issues.map((issue) => toConfigIssue({ message: issue.message, path: issue.path })),
    );
  }
  return result.data;
}

/** The size of the weights file a manifest describes (float32 tensors). */
export function expectedWeightBytes(manifest: RankerManifest): number {
  const specs = manifest.weightsManifest[0]?.weights ?? [];
  return 4 * specs.reduce((sum, spec) => sum + elementCount(spec.shape), 0);
}

/** A NaN or infinite weight makes every score NaN: refuse it at load, naming the tensor. */
function assertFiniteWeights(
  bytes: Uint8Array,
  specs: readonly { name: string; shape: number[] }[],
  weightsName: string,
): void {
  const values = new Float32Array(bytes.slice().buffer);
  let offset = 0;
  for (const spec of specs) {
    const size = elementCount(spec.shape);
    for (let i = offset; i < offset + size; i++) {
      if (!Number.isFinite(values[i] as number)) {
        throw new UserError(
          `${weightsName}: weight '${spec.name}'[${i - offset}] is ${values[i]}: a model with non-finite weights cannot score`,
          { hint: 'use another checkpoint (e.g. checkpoints/last), or retrain with optimizer.clipNorm set' },
        );
      }
    }
    offset += size;
  }
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, n) => product * n, 1);
}
