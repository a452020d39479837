import { evaluationBatches, type RankingSplit, taskLabels } from '@mtl2r/data';
import type { Ranker } from '@mtl2r/encoder';
import type { RankingLoss } from '@mtl2r/losses';
import { evaluateRanking, type MetricRegistry, type MetricSpec } from '@mtl2r/metrics';
import * as tf from '@tensorflow/tfjs-core';
import { disposeBatchTensors, taskLossesFromScores, toBatchTensors } from './task-losses.js';

/** One task's results on a split. */
export interface TaskEvaluation {
  task: string;
  /** The task's loss in evaluation mode (no dropout), mean over lists; absent when no losses were given. */
  loss?: number;
  /** Metric name (`ndcg@10`) to its macro mean over queries. */
  metrics: Record<string, number>;
}

/**
 * Scores every document of a split in evaluation mode (no dropout, lists never cut), batches padded to
 * their longest list. Returns one Float32Array of N scores per model output (1 with a shared head).
 */
export function scoreSplit(
  ranker: Ranker,
  split: RankingSplit,
  batchSize = 64,
  preference?: readonly number[],
): Float32Array[] {
  const n = split.queryOffsets[split.queryOffsets.length - 1] as number;
  const outputs = Array.from({ length: ranker.outputCount }, () => new Float32Array(n));
  for (const batch of evaluationBatches(split, { batchSize })) {
    const tensors = toBatchTensors(batch);
    try {
      const values = tf
        .tidy(() => ranker.apply(tensors.features, tensors.mask, forwardPreference(preference)))
        .dataSync() as Float32Array;
      placeScores(values, batch.queryIndex, batch.docIndex, batch.slateLength, split.queryOffsets, outputs);
    } finally {
      disposeBatchTensors(tensors);
    }
  }
  return outputs;
}

/**
 * Per-task metrics (and losses, when `losses` is given) of a ranker on a split. The task's own head scores
 * it when the model has one head per task. Metrics are names or specs; a plugin metric's name resolves in
 * `registry` (a run's is `CheckedSetup.metrics.registry`).
 */
export function evaluateSplit(
  ranker: Ranker,
  split: RankingSplit,
  metrics: readonly (string | MetricSpec)[],
  options: {
    /** Where plugin metrics resolve; default mtl2r's own metrics only. */
    registry?: MetricRegistry;
    losses?: readonly RankingLoss[];
    batchSize?: number;
    /** The preference a conditioned ranker is evaluated at (see `balancedPreference`). */
    preference?: readonly number[];
  } = {},
): TaskEvaluation[] {
  const n = split.queryOffsets[split.queryOffsets.length - 1] as number;
  const taskCount = split.taskNames.length;
  const outputs = Array.from({ length: ranker.outputCount }, () => new Float32Array(n));
  const lossSums = new Float64Array(taskCount);
  let lists = 0;
  for (const batch of evaluationBatches(split, { batchSize: options.batchSize ?? 64 })) {
    const tensors = toBatchTensors(batch);
    try {
      const scores = ranker.apply(tensors.features, tensors.mask, forwardPreference(options.preference));
      try {
        placeScores(
          scores.dataSync() as Float32Array,
          batch.queryIndex,
          batch.docIndex,
          batch.slateLength,
          split.queryOffsets,
          outputs,
        );
        if (options.losses !== undefined) {
          const values = tf.tidy(() =>
            tf.stack(taskLossesFromScores(scores, tensors, options.losses as RankingLoss[], 0)).dataSync(),
          );
          values.forEach((v, k) => {
            lossSums[k] = (lossSums[k] as number) + v * batch.batchSize;
          });
          lists += batch.batchSize;
        }
      } finally {
        scores.dispose();
      }
    } finally {
      disposeBatchTensors(tensors);
    }
  }
  return split.taskNames.map((task, k) => {
    const scores = outputs[outputs.length === 1 ? 0 : k] as Float32Array;
    const results = evaluateRanking(
      scores,
      taskLabels(split, k),
      split.queryOffsets,
      metrics,
      options.registry === undefined ? {} : { registry: options.registry },
    );
    const evaluation: TaskEvaluation = {
      task,
      metrics: Object.fromEntries(results.map((r) => [r.name, r.mean])),
    };
    if (options.losses !== undefined && lists > 0) evaluation.loss = (lossSums[k] as number) / lists;
    return evaluation;
  });
}

/**
 * What training evaluates a conditioned ranker at (validation, best-epoch choice, test): the equal
 * trade-off 1/K per task. Undefined for an unconditioned ranker, which refuses a preference.
 */
export function balancedPreference(ranker: Ranker): number[] | undefined {
  return ranker.conditioned
    ? Array.from({ length: ranker.taskCount }, () => 1 / ranker.taskCount)
    : undefined;
}

function forwardPreference(preference: readonly number[] | undefined): { preference?: readonly number[] } {
  return preference === undefined ? {} : { preference };
}

/** Copies a batch's [B, L, H] scores to each document's place in the split (padding skipped). */
function placeScores(
  values: Float32Array,
  queryIndex: Int32Array,
  docIndex: Int32Array,
  slateLength: number,
  queryOffsets: Int32Array,
  outputs: Float32Array[],
): void {
  const h = outputs.length;
  for (let b = 0; b < queryIndex.length; b++) {
    const start = queryOffsets[queryIndex[b] as number] as number;
    for (let i = 0; i < slateLength; i++) {
      const within = docIndex[b * slateLength + i] as number;
      if (within < 0) continue;
      for (let o = 0; o < h; o++)
        (outputs[o] as Float32Array)[start + within] = values[(b * slateLength + i) * h + o] as number;
    }
  }
}
