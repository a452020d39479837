import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Json, UserError } from '@mtl2r/core';
import {
  applyDataTransform,
  type DataSpec,
  type DataTransform,
  loadSplit,
  type RankingSplit,
} from '@mtl2r/data';
import { loadRanker, type Ranker } from '@mtl2r/encoder';
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
 * no best), a checkpoint directory, or a model directory.
 */
export async function loadTrainedModel(dir: string, which: 'best' | 'last' = 'best'): Promise<TrainedModel> {
  const modelDir = locateModel(dir, which);
  const { ranker, extras } = await loadRanker(modelDir);
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
  const scores = scoreSplit(model.ranker, split);
  return lists.map((list, q) =>
    list.map((_, i) => scores.map((head) => head[(offsets[q] as number) + i] as number)),
  );
}

/** A LETOR file loaded with a model's spec and transform (labels transformed as in training). */
export async function loadSplitForModel(model: TrainedModel, file: string): Promise<RankingSplit> {
  const split = await loadSplit(file, model.spec, { cacheDir: false });
  return applyDataTransform(split, model.transform);
}

/** Per-document scores of a LETOR file: query ids, offsets, and one array of scores per head. */
export async function predictFile(
  model: TrainedModel,
  file: string,
  batchSize = 64,
): Promise<{ split: RankingSplit; scores: Float32Array[] }> {
  const split = await loadSplitForModel(model, file);
  return { split, scores: scoreSplit(model.ranker, split, batchSize) };
}

/** Per-task metrics of a trained model on a LETOR file. */
export async function evaluateFile(
  model: TrainedModel,
  file: string,
  metrics: readonly string[],
  batchSize = 64,
): Promise<TaskEvaluation[]> {
  const split = await loadSplitForModel(model, file);
  return evaluateSplit(model.ranker, split, metrics, { batchSize });
}

/** For JSON output: the model's identity. */
export function describeModel(model: TrainedModel): Json {
  return { dir: model.dir, tasks: model.taskNames, parameters: model.ranker.parameterCount() };
}
