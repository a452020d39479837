import { validateWithSchema } from '@mtl2r/core';
import { dataSpecSchema } from '@mtl2r/data';
import { z } from 'zod';

/*
 * The training config: one file (JSON or YAML) that names everything a run needs. Validated with zod so
 * every error names its exact path (`optimizer.learningRate`, `losses[1].name`). Cross-field checks that
 * need the plugins, the losses and the files (task counts, strategy needs) live in `checkTrainConfig`.
 */

const lossSpecSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .describe('Loss id from @mtl2r/losses: listNet, lambdaLoss, rankNet, listMLE, approxNDCG, ...'),
    options: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The loss's own options (see @mtl2r/losses)"),
    plugin: z
      .string()
      .min(1)
      .optional()
      .describe('Package name, short id or file path of a loss plugin that provides `name` (defineLoss)'),
  })
  .describe('One ranking loss');

const metricEntrySchema = z.union([
  z.string().min(1),
  z
    .strictObject({
      name: z
        .string()
        .min(1)
        .describe("Metric name without the cut-off: ndcg, mrr, map, p, err, or the plugin's name"),
      k: z.number().int().positive().optional().describe('Cut-off: only the top k ranked documents count'),
      options: z
        .record(z.string(), z.unknown())
        .optional()
        .describe("The metric's own options (ndcg: gain, noRelevant; a plugin: its schema)"),
      plugin: z
        .string()
        .min(1)
        .optional()
        .describe(
          'Package name, short id or file path of a metric plugin that provides `name` (defineMetric)',
        ),
    })
    .describe('One metric with options, or from a plugin'),
]);

const dataSchema = z
  .strictObject({
    dataset: z
      .enum(['mq2008', 'lightgbm-rank'])
      .optional()
      .describe(
        'A dataset bundled with @mtl2r/datasets; its files are used for any of train/vali/test not given',
      ),
    train: z
      .string()
      .min(1)
      .optional()
      .describe('Training file (LETOR/svmlight, plain or .gz); relative to the config file'),
    vali: z
      .string()
      .min(1)
      .optional()
      .describe('Validation file: evaluated every epoch, drives early stopping and best/'),
    test: z
      .string()
      .min(1)
      .optional()
      .describe('Test file: evaluated once at the end with the best checkpoint'),
    cacheDir: z
      .union([z.string().min(1), z.literal(false)])
      .optional()
      .describe('Parsed-split cache directory, or false; default $MTL2R_CACHE_DIR or .cache/mtl2r'),
    spec: dataSpecSchema
      .optional()
      .describe('The multi-label spec: tasks (label or 1-based feature id), dropped features, normalisation'),
  })
  .describe('Data files and the multi-label spec');

const modelSchema = z
  .strictObject({
    modelDim: z.number().int().positive().optional().describe('Width d of the encoder (default 128)'),
    blocks: z.number().int().nonnegative().optional().describe('Encoder blocks (default 4)'),
    heads: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Attention heads; must divide modelDim (default 4)'),
    ffnDim: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Hidden width of the feed-forward layer (default 512)'),
    dropout: z.number().min(0).lt(1).optional().describe('Dropout rate (default 0.3)'),
    layerNorm: z.enum(['standard', 'allrank']).optional().describe('LayerNorm formula (default standard)'),
    perTaskHeads: z
      .boolean()
      .optional()
      .describe('One scoring head per task instead of one shared head (default false)'),
    pairModuleDim: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Hidden width of grown pair modules (default 32)'),
    conditioning: z
      .enum(['input', 'film'])
      .optional()
      .describe(
        "Preference conditioning for Pareto-front learning (strategy pfl): 'input' appends the preference to every item's features, 'film' scales and shifts each block's output by it",
      ),
  })
  .describe('The transformer ranker (@mtl2r/encoder); featureCount and taskCount come from the data');

const strategySchema = z
  .strictObject({
    id: z.string().min(1).describe("Strategy id, e.g. 'ls', 'mgda', 'pcgrad'"),
    options: z.record(z.string(), z.unknown()).optional().describe("The plugin's own options"),
    preference: z
      .array(z.number())
      .optional()
      .describe('Preference vector, one entry per task (strategies that use one)'),
    plugin: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Package name or file path of a third-party plugin (default: the installed @mtl2r/strategy-<id>)',
      ),
  })
  .describe('The multi-task strategy, loaded from the plugin registry');

const scheduleSchema = z
  .strictObject({
    kind: z
      .enum(['constant', 'step', 'exponential', 'cosine'])
      .default('constant')
      .describe(
        'constant; step: x gamma every stepEpochs; exponential: x gamma per epoch; cosine: to minLearningRate over all epochs',
      ),
    warmupSteps: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('Linear warm-up from 0 over this many steps'),
    stepEpochs: z.number().int().positive().default(10).describe('step: epochs between decays'),
    gamma: z.number().positive().max(1).default(0.1).describe('step/exponential: decay factor'),
    minLearningRate: z.number().nonnegative().default(0).describe('cosine: final learning rate'),
  })
  .describe('Learning-rate schedule');

const optimizerSchema = z
  .strictObject({
    name: z
      .enum(['adam', 'adamw', 'sgd'])
      .default('adam')
      .describe('adam, adamw (decoupled weight decay) or sgd (with momentum)'),
    learningRate: z.number().positive().default(0.001),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    epsilon: z.number().positive().default(1e-8),
    weightDecay: z
      .number()
      .nonnegative()
      .optional()
      .describe('adamw: decoupled decay (default 0.01); adam/sgd: L2 added to the gradient (default 0)'),
    momentum: z.number().min(0).lt(1).default(0).describe('sgd only'),
    clipNorm: z
      .number()
      .positive()
      .optional()
      .describe('Clip the global gradient norm of the model to this value'),
    schedule: scheduleSchema.default({
      kind: 'constant',
      warmupSteps: 0,
      stepEpochs: 10,
      gamma: 0.1,
      minLearningRate: 0,
    }),
  })
  .describe('Optimizer, learning-rate schedule and gradient clipping');

const trainingSchema = z
  .strictObject({
    epochs: z.number().int().positive().default(50),
    batchSize: z.number().int().positive().default(64).describe('Queries per optimizer step'),
    maxSlateLength: z
      .number()
      .int()
      .positive()
      .default(240)
      .describe('Training lists longer than this are sampled down (allRank: 240)'),
    bucketByLength: z
      .boolean()
      .default(true)
      .describe('Batch lists of similar length together (less padding, same model)'),
    padToMaxSlateLength: z
      .boolean()
      .default(false)
      .describe('Pad every training slate to maxSlateLength as allRank does (slow; for comparison)'),
    microBatchItems: z
      .number()
      .int()
      .positive()
      .default(16384)
      .describe(
        'Largest lists x items one forward pass may hold; bigger batches accumulate gradients over micro-batches',
      ),
    evalBatchSize: z
      .number()
      .int()
      .positive()
      .default(64)
      .describe('Queries per evaluation batch (lists are never cut)'),
    logEvery: z.number().int().positive().default(10).describe('Steps between logged training losses'),
  })
  .describe('Epochs and batching');

const evaluationSchema = z
  .strictObject({
    metrics: z
      .array(metricEntrySchema)
      .min(1)
      .default(['ndcg@1', 'ndcg@5', 'ndcg@10', 'ndcg@30'])
      .describe(
        'Validation metrics per task: ndcg@k, mrr, map, p@k, err@k, or { name, k, options, plugin } (a metric plugin)',
      ),
    every: z.number().int().positive().default(1).describe('Validate every this many epochs'),
    baselines: z
      .record(z.string(), z.record(z.string(), z.number()))
      .optional()
      .describe('Single-task baseline values { task: { metric: value } }: delta_m is logged when given'),
  })
  .describe('Validation metrics and single-task baselines');

const earlyStoppingSchema = z
  .strictObject({
    metric: z
      .string()
      .min(1)
      .default('ndcg@5')
      .describe("A validation metric from evaluation.metrics, or 'delta_m'"),
    task: z.string().min(1).optional().describe('Task whose metric is watched (default: the first task)'),
    patience: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Stop after this many validations without improvement (default: never stop early)'),
    minDelta: z.number().nonnegative().default(0).describe('Smallest change that counts as an improvement'),
  })
  .describe('Which validation value picks best/ and when to stop');

export const trainConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema (editor completion)'),
    seed: z
      .number()
      .int()
      .nonnegative()
      .default(42)
      .describe('One seed drives init, dropout, shuffling and the strategy'),
    backend: z.enum(['auto', 'node-gpu', 'node', 'wasm', 'cpu']).default('auto').describe('tfjs backend'),
    data: dataSchema,
    model: modelSchema.default({}),
    losses: z.array(lossSpecSchema).min(1).describe('One loss per task, in the order of data.spec.tasks'),
    strategy: strategySchema,
    optimizer: optimizerSchema.default({
      name: 'adam',
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      momentum: 0,
      schedule: { kind: 'constant', warmupSteps: 0, stepEpochs: 10, gamma: 0.1, minLearningRate: 0 },
    }),
    training: trainingSchema.default({
      epochs: 50,
      batchSize: 64,
      maxSlateLength: 240,
      bucketByLength: true,
      padToMaxSlateLength: false,
      microBatchItems: 16384,
      evalBatchSize: 64,
      logEvery: 10,
    }),
    evaluation: evaluationSchema.default({ metrics: ['ndcg@1', 'ndcg@5', 'ndcg@10', 'ndcg@30'], every: 1 }),
    earlyStopping: earlyStoppingSchema.default({ metric: 'ndcg@5', minDelta: 0 }),
  })
  .describe('mtl2r training config');

/** A config as written (defaults optional). */
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
/** A validated config with every default filled in. */
export type TrainConfig = z.output<typeof trainConfigSchema>;
export type LossSpec = z.output<typeof lossSpecSchema>;
/** One entry of `evaluation.metrics`: a name (`ndcg@10`) or `{ name, k?, options?, plugin? }`. */
export type MetricConfigEntry = z.output<typeof metricEntrySchema>;
export type OptimizerConfig = z.output<typeof optimizerSchema>;
export type ScheduleConfig = z.output<typeof scheduleSchema>;

/** Validates a config object; a ConfigError lists every bad path. `source` names the file in the message. */
export function parseTrainConfig(value: unknown, source = 'config'): TrainConfig {
  return validateWithSchema(trainConfigSchema, value, `invalid training config ${source}`);
}
