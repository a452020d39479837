import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isUserError, type Json, UserError } from '@mtl2r/core';
import {
  applyDataTransform,
  assertTaskColumnsPresent,
  type DataSpec,
  type DataTransform,
  describeMissingFeatures,
  missingColumns,
  type RankingSplit,
  readSvmlight,
  shapeSplit,
} from '@mtl2r/data';
import { loadRanker, type Ranker } from '@mtl2r/encoder';
import type { MetricRegistry, MetricSpec } from '@mtl2r/metrics';
import { evaluateSplit, scoreSplit, type TaskEvaluation } from './evaluate.js';

/** A trained ranker with what it needs to score raw data: the fitted transform and the data spec. */
export interface TrainedModel {
  ranker: Ranker;
  taskNames: string[];
  transform: DataTransform;
  spec: DataSpec;
  /** Where it was loaded from. */
  dir: string;
  dispose(): void;
}

/**
 * Loads a trained model from a run directory (its `best` checkpoint, or `last` when asked or when there is
 * no best), a checkpoint directory, or a model directory. A damaged checkpoint model (unreadable JSON, a
 * checksum mismatch) is passed over for the checkpoint's intact previous copy, and `onNote` says so.
 */
export async function loadTrainedModel(
  dir: string,
  which: 'best' | 'last' = 'best',
  options: { onNote?: (message: string) => void } = {},
): Promise<TrainedModel> {
  let modelDir = locateModel(dir, which);
  let loaded: Awaited<ReturnType<typeof loadRanker>>;
  try {
    loaded = await loadRanker(modelDir);
  } catch (error) {
    const previous = join(`${dirname(modelDir)}.previous`, 'model');
    if (!isUserError(error) || basename(modelDir) !== 'model' || !existsSync(join(previous, 'model.json')))
      throw error;
    try {
      loaded = await loadRanker(previous);
    } catch {
      throw error;
    }
    options.onNote?.(`${error.message}; using the previous copy ${previous}`);
    modelDir = previous;
  }
  const { ranker, extras } = loaded;
  const meta = extras as { taskNames?: string[]; transform?: DataTransform; spec?: DataSpec } | null;
  if (meta?.transform === undefined || meta.spec === undefined || meta.taskNames === undefined) {
    ranker.dispose();
    throw new UserError(
      `${modelDir}: this model was not saved by mtl2r train (no data transform in model.json extras)`,
    );
  }
  return {
    ranker,
    taskNames: meta.taskNames,
    transform: meta.transform,
    spec: meta.spec,
    dir: modelDir,
    dispose: () => ranker.dispose(),
  };
}

function locateModel(dir: string, which: 'best' | 'last'): string {
  if (existsSync(join(dir, 'model.json'))) return dir;
  if (existsSync(join(dir, 'model', 'model.json'))) return join(dir, 'model');
  const checkpoints = join(dir, 'checkpoints');
  for (const name of which === 'best' ? ['best', 'last'] : ['last']) {
    const candidate = join(checkpoints, name, 'model');
    if (existsSync(join(candidate, 'model.json'))) return candidate;
  }
  throw new UserError(
    `no trained model in ${dir}: expected a run directory (checkpoints/${which}/model), a checkpoint or a model directory`,
  );
}

/** For a preference-conditioned model (`model.conditioning`): the trade-off to score at, one number per task. */
export interface PreferenceOption {
  preference?: readonly number[];
}

/** Scores of one list: `scores[i][h]` is document i's score from head h (one head unless per-task heads). */
export type ListScores = number[][];

/**
 * Scores lists of raw feature vectors with a trained model. Each vector holds the model's input features
 * in file order (the file's features minus the label and dropped columns: `model.transform.featureIds`),
 * unnormalised; the saved transform is applied here.
 */
export function predict(
  model: TrainedModel,
  lists: readonly (readonly (readonly number[])[])[],
  options: PreferenceOption = {},
): ListScores[] {
  const width = model.transform.featureIds.length;
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((list, q) => {
    offsets[q + 1] = (offsets[q] as number) + list.length;
  });
  const n = offsets[lists.length] as number;
  const features = new Float32Array(n * width);
  lists.forEach((list, q) => {
    list.forEach((vector, i) => {
      if (vector.length !== width) {
        throw new UserError(
          `predict: list ${q}, document ${i} has ${vector.length} features; the model reads ${width} (feature ids ${model.transform.featureIds.slice(0, 5).join(', ')}, ...)`,
        );
      }
      features.set(vector, ((offsets[q] as number) + i) * width);
    });
  });
  const split: RankingSplit = {
    source: 'predict()',
    featureCount: width,
    fileFeatureCount: model.spec.featureCount ?? Math.max(0, ...model.transform.featureIds),
    featureIds: Int32Array.from(model.transform.featureIds),
    taskNames: [...model.taskNames],
    queryIds: lists.map((_, q) => String(q)),
    queryOffsets: offsets,
    features,
    labels: new Float32Array(model.taskNames.length * n),
  };
  applyDataTransform(split, model.transform);
  const scores = scoreSplit(model.ranker, split, 64, options.preference);
  assertFiniteScores(model, split, scores);
  return lists.map((list, q) =>
    list.map((_, i) => scores.map((head) => head[(offsets[q] as number) + i] as number)),
  );
}

export interface LoadForModelOptions {
  /** Labels are used (eval): a task whose label column is absent from the file is refused. */
  labels?: boolean;
  /** Read input features absent from the file as 0 (with a warning) instead of refusing the file. */
  allowMissingFeatures?: boolean;
  onWarning?: (message: string) => void;
}

/**
 * A LETOR file loaded with a model's spec and transform (labels transformed as in training). A file whose
 * lines all stop before some of the model's input features (or, for `labels`, before a task's label
 * column) is refused: read as zeros they would give silently wrong scores.
 */
export async function loadSplitForModel(
  model: TrainedModel,
  file: string,
  options: LoadForModelOptions = {},
): Promise<RankingSplit> {
  const spec = model.spec;
  const inputIds = model.transform.featureIds;
  const taskIds = spec.tasks.flatMap((task) => (task.feature === undefined ? [] : [task.feature]));
  const featureCount = spec.featureCount ?? Math.max(1, ...inputIds, ...taskIds, ...spec.dropFeatures);
  const { table } = await readSvmlight(file, {
    featureCount,
    regroup: spec.regroup,
    ...(spec.maxLabel === undefined ? {} : { maxLabel: spec.maxLabel }),
  });
  const missing = missingColumns(table, inputIds, options.labels === true ? spec.tasks : []);
  assertTaskColumnsPresent(table, missing.tasks);
  if (missing.features.length > 0) {
    const message = describeMissingFeatures(table, missing.features, inputIds.length);
    if (options.allowMissingFeatures !== true) {
      throw new UserError(`${file}: ${message}`, {
        hint: 'score a file with the columns of the training data, or pass --allow-missing-features to read the absent ones as 0',
      });
    }
    options.onWarning?.(`${file}: ${message}; they are read as 0 (--allow-missing-features)`);
  }
  return applyDataTransform(shapeSplit(table, spec), model.transform);
}

/** Per-document scores of a LETOR file: query ids, offsets, and one array of scores per head. */
export async function predictFile(
  model: TrainedModel,
  file: string,
  batchSize = 64,
  options: LoadForModelOptions & PreferenceOption = {},
): Promise<{ split: RankingSplit; scores: Float32Array[] }> {
  const split = await loadSplitForModel(model, file, options);
  const scores = scoreSplit(model.ranker, split, batchSize, options.preference);
  assertFiniteScores(model, split, scores);
  return { split, scores };
}

/**
 * Per-task metrics of a trained model on a LETOR file. Plugin metrics resolve in `options.registry` (see
 * `loadRunMetrics` for a run directory's).
 */
export async function evaluateFile(
  model: TrainedModel,
  file: string,
  metrics: readonly (string | MetricSpec)[],
  batchSize = 64,
  options: Omit<LoadForModelOptions, 'labels'> & PreferenceOption & { registry?: MetricRegistry } = {},
): Promise<TaskEvaluation[]> {
  const split = await loadSplitForModel(model, file, { ...options, labels: true });
  const { preference, registry } = options;
  return evaluateSplit(model.ranker, split, metrics, {
    batchSize,
    ...(preference === undefined ? {} : { preference }),
    ...(registry === undefined ? {} : { registry }),
  });
}

/** A NaN or infinite score is never written out: it means the model (or its input) is broken. */
function assertFiniteScores(model: TrainedModel, split: RankingSplit, scores: readonly Float32Array[]): void {
  let bad = 0;
  let first = -1;
  for (const head of scores) {
    head.forEach((value, i) => {
      if (!Number.isFinite(value)) {
        bad++;
        if (first < 0 || i < first) first = i;
      }
    });
  }
  if (bad === 0) return;
  let q = 0;
  while ((split.queryOffsets[q + 1] as number) <= first) q++;
  throw new UserError(
    `${model.dir}: the model gives ${bad} non-finite score(s) on ${split.source}, the first for qid ${split.queryIds[q]} document ${first - (split.queryOffsets[q] as number)}; no scores were written`,
    {
      hint: 'the weights or this input are broken: check the input values, or score with another checkpoint (--checkpoint last)',
    },
  );
}

/** For JSON output: the model's identity. */
export function describeModel(model: TrainedModel): Json {
  return { dir: model.dir, tasks: model.taskNames, parameters: model.ranker.parameterCount() };
}
