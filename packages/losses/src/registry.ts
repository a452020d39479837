import { ConfigError, type Rng, validateWithSchema } from '@mtl2r/core';
import type { z } from 'zod';
import { approxNDCGLoss } from './approx-ndcg.js';
import { binaryListNetLoss } from './binary-list-net.js';
import { lambdaLoss } from './lambda-loss.js';
import { listMLELoss } from './list-mle.js';
import { listNetLoss } from './list-net.js';
import { neuralNDCGLoss } from './neural-ndcg.js';
import { neuralNDCGTransposedLoss } from './neural-ndcg-transposed.js';
import { ordinalLoss } from './ordinal.js';
import { pointwiseBCELoss } from './pointwise-bce.js';
import { pointwiseRMSELoss } from './pointwise-rmse.js';
import { rankNetLoss } from './rank-net.js';
import type { LossDefinition, RankingLoss } from './ranking-loss.js';

const definitions = {
  listNet: listNetLoss,
  binaryListNet: binaryListNetLoss,
  listMLE: listMLELoss,
  rankNet: rankNetLoss,
  lambdaLoss,
  approxNDCG: approxNDCGLoss,
  neuralNDCG: neuralNDCGLoss,
  neuralNDCGTransposed: neuralNDCGTransposedLoss,
  ordinal: ordinalLoss,
  pointwiseRMSE: pointwiseRMSELoss,
  pointwiseBCE: pointwiseBCELoss,
} as const satisfies Record<string, LossDefinition>;

/** mtl2r's own losses by name (the `LossRegistry` wraps them as plugins). */
export const builtinLossDefinitions: Readonly<Record<string, LossDefinition>> = definitions;

type Definitions = typeof definitions;
export type LossName = keyof Definitions;
/** The options a loss accepts as input (defaults may be omitted). */
export type LossOptionsInput<Name extends LossName> = z.input<Definitions[Name]['options']>;
/** The options a loss runs with, after validation and defaults. */
export type LossOptions<Name extends LossName> = z.output<Definitions[Name]['options']>;

/** Every registered loss id, in a stable order. */
export const lossNames: readonly LossName[] = Object.freeze(Object.keys(definitions) as LossName[]);

export function isLossName(name: string): name is LossName {
  return Object.hasOwn(definitions, name);
}

export interface CreateLossSettings {
  /** Where the loss sits in the config, for error paths (e.g. `tasks[1].loss`); default `loss`. */
  path?: string;
  /** Seeded random source for losses with randomness (ListMLE's tie break). */
  rng?: Rng;
}

function unknownLoss(name: string, path: string): ConfigError {
  return new ConfigError(`unknown loss '${name}'`, [
    { path: `${path}.name`, message: `expected one of ${lossNames.join(', ')}` },
  ]);
}

/** The zod v4 schema of a loss's options, for embedding in a config schema. Unknown name: ConfigError. */
export function lossOptionsSchema<Name extends LossName>(name: Name): Definitions[Name]['options'];
export function lossOptionsSchema(name: string): z.ZodType;
export function lossOptionsSchema(name: string): z.ZodType {
  if (!isLossName(name)) throw unknownLoss(name, 'loss');
  return definitions[name].options;
}

/**
 * Creates a loss by id with its options, validated against the loss's schema: a wrong option is a
 * ConfigError naming `<path>.options.<key>` and what was expected; an unknown id lists the valid ones.
 */
export function createLoss<Name extends LossName>(
  name: Name,
  options?: LossOptionsInput<Name>,
  settings?: CreateLossSettings,
): RankingLoss;
export function createLoss(name: string, options?: unknown, settings?: CreateLossSettings): RankingLoss;
export function createLoss(
  name: string,
  options: unknown = {},
  settings: CreateLossSettings = {},
): RankingLoss {
  const path = settings.path ?? 'loss';
  if (!isLossName(name)) throw unknownLoss(name, path);
  const definition: LossDefinition = definitions[name];
  const validated = validateWithSchema(
    definition.options,
    options ?? {},
    `invalid options for loss '${name}'`,
    `${path}.options`,
  );
  return definition.create(validated, settings.rng === undefined ? {} : { rng: settings.rng });
}
