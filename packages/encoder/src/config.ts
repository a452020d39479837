import { ConfigError, toConfigIssue } from '@mtl2r/core';
import { z } from 'zod';

/** Which LayerNorm formula the encoder uses. */
export type LayerNormKind = 'standard' | 'allrank';

/**
 * The ranker's architecture. Defaults are DeepMTL2R's (allRank's context-aware transformer):
 * d 128, 4 blocks, 4 heads, FFN 512, dropout 0.3, one scoring head shared by all tasks.
 */
export const rankerConfigSchema = z
  .object({
    /** Number of input features per item (after auxiliary label columns are removed). */
    featureCount: z.number().int().positive(),
    modelDim: z.number().int().positive().default(128),
    blocks: z.number().int().nonnegative().default(4),
    heads: z.number().int().positive().default(4),
    ffnDim: z.number().int().positive().default(512),
    /** Dropout rate on attention probabilities, residual branches and the FFN hidden layer. */
    dropout: z.number().min(0).lt(1).default(0.3),
    /** `standard`: (x - mean) / sqrt(var + 1e-5); `allrank`: (x - mean) / (unbiased std + 1e-6). */
    layerNorm: z.enum(['standard', 'allrank']).default('standard'),
    taskCount: z.number().int().positive(),
    /** One Linear(d -> 1) head per task instead of one shared head (growth needs this). */
    perTaskHeads: z.boolean().default(false),
    /** Hidden width of a task-pair module added by `addPairModule`. */
    pairModuleDim: z.number().int().positive().default(32),
    /**
     * Preference conditioning for Pareto-front learning, so one model serves every trade-off: `input`
     * appends the preference r (K numbers on the simplex) to every item's features; `film` scales and
     * shifts each block's output by functions of r (conditioning.ts). Absent: unconditioned.
     */
    conditioning: z.enum(['input', 'film']).optional(),
  })
  .strict()
  .refine((config) => config.modelDim % config.heads === 0, {
    message: 'modelDim must be divisible by heads',
    path: ['heads'],
  });

/** A fully resolved architecture (every default filled in). */
export type RankerConfig = z.output<typeof rankerConfigSchema>;
/** What a caller writes: only `featureCount` and `taskCount` are required. */
export type RankerConfigInput = z.input<typeof rankerConfigSchema>;

/**
 * Validates and fills defaults; throws a ConfigError naming each bad path (`prefix` is where the
 * config sits in a larger one, e.g. `model`).
 */
export function resolveRankerConfig(input: unknown, prefix = ''): RankerConfig {
  const result = rankerConfigSchema['~standard'].validate(input);
  if (result instanceof Promise) throw new TypeError('ranker config schema must validate synchronously');
  if (result.issues !== undefined) {
    throw new ConfigError(
      'invalid ranker config',
      result.issues.map((issue) => toConfigIssue(issue, prefix)),
    );
  }
  return result.value;
}
