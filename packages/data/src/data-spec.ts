import { validateWithSchema } from '@mtl2r/core';
import { z } from 'zod';

/** How a task's raw label values become training labels (fitted on the training split). */
export type LabelTransformName = 'raw' | 'log1p' | `quantile-grades:${number}`;

export const normalizeModes = ['none', 'zscore', 'log-zscore', 'query-minmax', 'query-zscore'] as const;
export type NormalizeMode = (typeof normalizeModes)[number];

const labelTransformSchema = z
  .string()
  .regex(/^(raw|log1p|quantile-grades:([2-9]|[1-9]\d+))$/, {
    message: "expected 'raw', 'log1p' or 'quantile-grades:N' with an integer N >= 2",
  })
  .transform((value) => value as LabelTransformName);

const featureIdSchema = z
  .number()
  .int()
  .min(1, { message: 'feature ids are 1-based: expected an integer >= 1' });

export const taskSpecSchema = z
  .object({
    name: z.string().min(1),
    /** 'label': the line's first column. */
    source: z.literal('label').optional(),
    /** The file's 1-based feature id whose values are this task's labels (removed from the input). */
    feature: featureIdSchema.optional(),
    transform: labelTransformSchema.optional(),
  })
  .strict()
  .refine((task) => (task.source === undefined) !== (task.feature === undefined), {
    message: "a task takes its labels from exactly one of source: 'label' or feature: <1-based id>",
  });

export const dataSpecSchema = z
  .object({
    tasks: z
      .array(taskSpecSchema)
      .min(1)
      .default([{ name: 'relevance', source: 'label' }]),
    /** Feature ids removed from the input whichever tasks are trained (e.g. all MSLR label columns). */
    dropFeatures: z.array(featureIdSchema).default([]),
    /** The file's feature count (largest id); inferred from the data when absent. */
    featureCount: z.number().int().min(1).optional(),
    normalize: z.enum(normalizeModes).default('none'),
    /** Heavy-tailed feature ids to pass through ln(1 + x) before normalisation. */
    log1pFeatures: z.array(featureIdSchema).default([]),
    /** Labels (first column) must lie in [0, maxLabel]. */
    maxLabel: z.number().min(0).optional(),
    /** Accept a qid that reappears after another one and regroup its documents (default: error). */
    regroup: z.boolean().default(false),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const names = new Set<string>();
    const features = new Set<number>();
    spec.tasks.forEach((task, index) => {
      if (names.has(task.name))
        ctx.addIssue({
          code: 'custom',
          path: ['tasks', index, 'name'],
          message: `duplicate task name '${task.name}'`,
        });
      names.add(task.name);
      if (task.feature !== undefined) {
        if (features.has(task.feature))
          ctx.addIssue({
            code: 'custom',
            path: ['tasks', index, 'feature'],
            message: `feature ${task.feature} is already used by another task`,
          });
        features.add(task.feature);
        if (spec.featureCount !== undefined && task.feature > spec.featureCount) {
          ctx.addIssue({
            code: 'custom',
            path: ['tasks', index, 'feature'],
            message: `feature ${task.feature} is beyond featureCount ${spec.featureCount}`,
          });
        }
      }
    });
    // A task's label column already leaves the input; listing it in dropFeatures too is a sign the spec
    // means something else (a typo in either id), so it is refused rather than silently accepted.
    spec.dropFeatures.forEach((id, index) => {
      const task = spec.tasks.find((t) => t.feature === id);
      if (task !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['dropFeatures', index],
          message: `feature ${id} is task '${task.name}''s label column (tasks[${spec.tasks.indexOf(task)}].feature), which is removed from the input anyway: remove it from dropFeatures`,
        });
    });
    if (spec.tasks.filter((task) => task.source === 'label').length > 1) {
      ctx.addIssue({ code: 'custom', path: ['tasks'], message: "only one task can use source: 'label'" });
    }
  });

/** A data spec as written in a config (defaults optional). */
export type DataSpecInput = z.input<typeof dataSpecSchema>;
/** A validated data spec with defaults filled in. */
export type DataSpec = z.output<typeof dataSpecSchema>;
export type TaskSpec = z.output<typeof taskSpecSchema>;

/** Validates a spec, throwing a ConfigError naming each bad path (prefix = where it sits in the config). */
export function parseDataSpec(input: unknown, prefix = 'data'): DataSpec {
  return validateWithSchema(dataSpecSchema, input ?? {}, 'Invalid data spec', prefix);
}

/** The transform a task gets when its spec names none: raw for the graded label, quantile grades for feature columns. */
export function taskTransform(task: TaskSpec): LabelTransformName {
  return task.transform ?? (task.source === 'label' ? 'raw' : 'quantile-grades:5');
}

/**
 * DeepMTL2R's MSLR-WEB30K protocol (spec §1): relevance plus 1-based features 132, 133 (quality scores),
 * 134 (query-url click count), 136 (url dwell time); all four always leave the input (F = 132).
 */
export function mslrWeb30kSpec(taskFeatures: readonly number[] = [132, 133, 134, 136]): DataSpecInput {
  const names: Record<number, string> = { 132: 'quality', 133: 'quality2', 134: 'click', 136: 'dwell' };
  return {
    tasks: [
      { name: 'relevance', source: 'label' },
      ...taskFeatures.map((feature) => ({ name: names[feature] ?? `f${feature}`, feature })),
    ],
    // The label columns not trained on leave the input too (task columns leave it anyway).
    dropFeatures: [132, 133, 134, 136].filter((id) => !taskFeatures.includes(id)),
    featureCount: 136,
    maxLabel: 4,
    normalize: 'log-zscore',
  };
}

/** The MQ2008 analogue (spec §1): relevance plus PageRank (41) and inlink count (42), both removed from the input. */
export function mq2008Spec(): DataSpecInput {
  return {
    tasks: [
      { name: 'relevance', source: 'label' },
      { name: 'pagerank', feature: 41 },
      { name: 'inlinks', feature: 42 },
    ],
    featureCount: 46,
    maxLabel: 2,
    normalize: 'none',
  };
}
