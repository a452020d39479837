import { Rng } from '@mtl2r/core';
import type { SlateBatch } from '@mtl2r/data';
import type { Ranker } from '@mtl2r/encoder';
import type { RankingLoss } from '@mtl2r/losses';
import * as tf from '@tensorflow/tfjs-core';

/** A batch on the backend: features [B, L, F], mask [B, L], one label matrix [B, L] per task. */
export interface BatchTensors {
  features: tf.Tensor3D;
  mask: tf.Tensor2D;
  labels: tf.Tensor2D[];
  /** Lists in the batch. */
  lists: number;
  /** The preference a conditioned model runs on for this batch (chosen by the strategy each step). */
  preference?: readonly number[];
}

export function toBatchTensors(batch: SlateBatch): BatchTensors {
  const { batchSize: b, slateLength: l, featureCount: f, taskCount: k } = batch;
  return {
    features: tf.tensor3d(batch.features, [b, l, f]),
    mask: tf.tensor2d(batch.mask, [b, l]),
    labels: Array.from({ length: k }, (_, task) =>
      tf.tensor2d(batch.labels.subarray(task * b * l, (task + 1) * b * l), [b, l]),
    ),
    lists: b,
  };
}

export function disposeBatchTensors(tensors: BatchTensors): void {
  tf.dispose([tensors.features, tensors.mask, ...tensors.labels]);
}

/** Task k's scores [B, L] out of the model's [B, L, H] (H = 1: the shared head serves every task). */
export function taskScores(scores: tf.Tensor3D, task: number): tf.Tensor2D {
  const [b, l, h] = scores.shape;
  if (h === 1) return tf.reshape(scores, [b, l]) as tf.Tensor2D;
  return tf.reshape(tf.slice(scores, [0, 0, task], [b, l, 1]), [b, l]) as tf.Tensor2D;
}

/**
 * The K task losses of a batch from the model's scores. `seed` fixes the random tie breaks of losses that
 * have them (ListMLE), so re-running a forward pass for the same step reproduces the same losses.
 */
export function taskLossesFromScores(
  scores: tf.Tensor3D,
  tensors: BatchTensors,
  losses: readonly RankingLoss[],
  seed: number,
): tf.Scalar[] {
  const rng = new Rng(seed);
  return losses.map((loss, k) =>
    loss.compute(taskScores(scores, k), tensors.labels[k] as tf.Tensor2D, tensors.mask, {
      rng: rng.derive(`loss:${k}`),
    }),
  );
}

/** Forward pass in training mode (dropout from `seed`) and the K task losses. */
export function trainingLosses(
  ranker: Ranker,
  losses: readonly RankingLoss[],
  tensors: BatchTensors,
  seed: number,
): tf.Scalar[] {
  const scores = ranker.apply(tensors.features, tensors.mask, {
    training: true,
    dropoutSeed: seed,
    ...(tensors.preference === undefined ? {} : { preference: tensors.preference }),
  });
  return taskLossesFromScores(scores, tensors, losses, seed);
}
