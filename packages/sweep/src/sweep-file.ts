import { dirname, resolve } from 'node:path';
import { validateWithSchema } from '@mtl2r/core';
import { applyOverrides, readConfigFile } from '@mtl2r/trainer';
import { z } from 'zod';

/*
 * The sweep file: `base` (a training config, the schema of `mtl2r train`) and `grid` (what varies). Only
 * the sweep's own keys are checked here; every run's resolved training config is checked by the trainer's
 * schema when the grid is expanded, with the error path prefixed by `base.`.
 */

const epsilonSchema = z.union([z.number().positive(), z.array(z.number().positive()).min(1)]);

const strategyEntrySchema = z
  .strictObject({
    id: z.string().min(1).describe("Strategy id, e.g. 'ls', 'mgda', 'ec'"),
    options: z.record(z.string(), z.unknown()).optional().describe("The plugin's own options"),
    label: z
      .string()
      .min(1)
      .optional()
      .describe('Name of this method in the summary (default: the id, plus the options when given)'),
    epsilons: z
      .array(epsilonSchema)
      .min(1)
      .optional()
      .describe('ec only: the epsilon grid for this entry (default: grid.epsilons)'),
  })
  .describe('One method of the sweep');

const preferencesSchema = z.discriminatedUnion('generator', [
  z
    .strictObject({ generator: z.literal('deepmtl2r') })
    .describe('Two tasks: [x, 1 - x] for x = 0.001 + 0.11 k, k = 0..9'),
  z
    .strictObject({ generator: z.literal('lattice'), divisions: z.number().int().positive() })
    .describe('Every multiple of 1/divisions on the simplex'),
  z
    .strictObject({
      generator: z.literal('dirichlet'),
      count: z.number().int().positive(),
      seed: z.number().int().nonnegative().default(0),
      alpha: z.number().positive().default(1),
    })
    .describe('count seeded draws from a symmetric Dirichlet(alpha)'),
  z
    .strictObject({
      generator: z.literal('list'),
      rows: z.array(z.array(z.number().nonnegative()).min(1)).min(1),
    })
    .describe('Explicit rows, one weight per task'),
]);

const gridSchema = z
  .strictObject({
    strategies: z.array(strategyEntrySchema).min(1).describe('The methods to run'),
    preferences: preferencesSchema
      .optional()
      .describe('Rows for methods that declare needs.preference (default: deepmtl2r for two tasks)'),
    epsilons: z.array(epsilonSchema).min(1).optional().describe('EC epsilon grid (one run per entry)'),
    seeds: z.array(z.number().int().nonnegative()).min(1).optional().describe('Default: [base.seed]'),
    baselines: z
      .boolean()
      .default(true)
      .describe('Add one single-task (stl) run per task and seed, the delta_m baselines'),
  })
  .describe('What the sweep varies');

export const sweepFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    base: z.record(z.string(), z.unknown()).describe('A training config (the schema of mtl2r train)'),
    grid: gridSchema,
    retries: z
      .number()
      .int()
      .nonnegative()
      .default(1)
      .describe('How many times a failed run is retried before it is recorded as failed'),
    summary: z
      .strictObject({
        metric: z
          .string()
          .min(1)
          .default('ndcg@10')
          .describe('Per-task metric of the front and hypervolume (an NDCG from evaluation.metrics)'),
        split: z.enum(['test', 'vali']).default('test').describe('Split the front is measured on'),
      })
      .default({ metric: 'ndcg@10', split: 'test' }),
  })
  .describe('mtl2r sweep file');

export type SweepFile = z.output<typeof sweepFileSchema>;
export type SweepStrategyEntry = z.output<typeof strategyEntrySchema>;

/** A parsed sweep file and the folder its relative paths are relative to. */
export interface LoadedSweepFile {
  sweep: SweepFile;
  dir: string;
  source: string;
}

/** Validates a sweep value; ConfigError issues name the key path (`grid.strategies[1].id`). */
export function parseSweepFile(value: unknown, source = 'sweep file'): SweepFile {
  return validateWithSchema(sweepFileSchema, value, `invalid sweep file ${source}`);
}

/** Reads a YAML/JSON sweep file, applies `--set` overrides (`base.training.epochs=2`), validates it. */
export function loadSweepFile(file: string, overrides: readonly string[] = []): LoadedSweepFile {
  const source = resolve(file);
  const raw = applyOverrides(readConfigFile(source), overrides);
  return { sweep: parseSweepFile(raw, source), dir: dirname(source), source };
}
