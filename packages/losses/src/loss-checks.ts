import * as tf from '@tensorflow/tfjs-core';
import type { LossComputeContext, RankingLoss } from './ranking-loss.js';

/**
 * Test support shared by the loss tests (not exported from the package): evaluate a loss and its gradient
 * on plain arrays, a central finite-difference gradient, padding of a batch, and a tensor leak count.
 */

export type Scores = number[][] | number[][][];

export interface LossCase {
  scores: Scores;
  labels: number[][];
  mask: number[][];
  context?: LossComputeContext;
}

export interface ValueAndGradient {
  value: number;
  /** d loss / d scores, flattened in row-major order. */
  gradient: number[];
}

function scoresTensor(scores: Scores): tf.Tensor2D | tf.Tensor3D {
  return Array.isArray(scores[0]?.[0])
    ? tf.tensor3d(scores as number[][][])
    : tf.tensor2d(scores as number[][]);
}

/** The case's arrays as tensors; the caller disposes them. */
export function toTensors(input: LossCase): {
  scores: tf.Tensor2D | tf.Tensor3D;
  labels: tf.Tensor2D;
  mask: tf.Tensor2D;
} {
  return {
    scores: scoresTensor(input.scores),
    labels: tf.tensor2d(input.labels),
    mask: tf.tensor2d(input.mask),
  };
}

/** Runs `loss` once with autodiff; all tensors are released before returning. */
export function lossValueAndGradient(loss: RankingLoss, input: LossCase): ValueAndGradient {
  const labels = tf.tensor2d(input.labels);
  const mask = tf.tensor2d(input.mask);
  const scores = scoresTensor(input.scores);
  const { value, grad } = tf.valueAndGrad((s: tf.Tensor) =>
    loss.compute(s as tf.Tensor2D, labels, mask, input.context),
  )(scores);
  const result = { value: value.dataSync()[0] as number, gradient: Array.from(grad.dataSync()) };
  tf.dispose([labels, mask, scores, value, grad]);
  return result;
}

/** The loss value alone (no gradient tape). */
export function lossValue(loss: RankingLoss, input: LossCase): number {
  return tf.tidy(() => {
    const value = loss.compute(
      scoresTensor(input.scores),
      tf.tensor2d(input.labels),
      tf.tensor2d(input.mask),
      input.context,
    );
    return value.dataSync()[0] as number;
  });
}

/**
 * Central differences (f(x + h) - f(x - h)) / 2h for every score. Float32 arithmetic: use h around 1e-2
 * and compare with a tolerance around 1e-3 of the gradient's scale. `makeContext` gives each evaluation a
 * fresh context (e.g. a re-seeded rng) so random losses see the same draws every time.
 */
export function finiteDifferenceGradient(
  loss: RankingLoss,
  input: LossCase,
  step = 1e-2,
  makeContext?: () => LossComputeContext,
): number[] {
  const flat = (input.scores as unknown[]).flat(2) as number[];
  const shape = scoresTensor(input.scores);
  const dims = shape.shape.slice();
  shape.dispose();
  const rebuild = (values: number[]): Scores => {
    if (dims.length === 2)
      return Array.from({ length: dims[0] as number }, (_, b) =>
        values.slice(b * (dims[1] as number), (b + 1) * (dims[1] as number)),
      );
    const [batch, length, outputs] = dims as [number, number, number];
    return Array.from({ length: batch }, (_, b) =>
      Array.from({ length }, (_, i) =>
        values.slice((b * length + i) * outputs, (b * length + i + 1) * outputs),
      ),
    );
  };
  return flat.map((_, index) => {
    const up = flat.slice();
    const down = flat.slice();
    up[index] = (up[index] as number) + step;
    down[index] = (down[index] as number) - step;
    const contextUp = makeContext?.() ?? input.context;
    const contextDown = makeContext?.() ?? input.context;
    const fUp = lossValue(loss, { ...input, scores: rebuild(up), context: contextUp });
    const fDown = lossValue(loss, { ...input, scores: rebuild(down), context: contextDown });
    return (fUp - fDown) / (2 * step);
  });
}

/** Largest |a_i - b_i|; arrays must have equal length. */
export function maxAbsDifference(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  return a.reduce((worst, value, index) => Math.max(worst, Math.abs(value - (b[index] as number))), 0);
}

/**
 * Appends `extra` padded items to every list (and optionally a fully padded list), with the given junk
 * scores and labels. `outputs` > 1 pads [B, L, n] scores.
 */
export function withPadding(
  input: LossCase,
  extra: number,
  junkScore: number,
  junkLabel: number,
  addEmptyList = false,
): LossCase {
  const is3d = Array.isArray(input.scores[0]?.[0]);
  const outputs = is3d ? ((input.scores as number[][][])[0]?.[0]?.length ?? 1) : 1;
  const junkItem = (): number | number[] =>
    is3d ? Array.from({ length: outputs }, () => junkScore) : junkScore;
  const scores = (input.scores as (number | number[])[][]).map((row) => [
    ...row,
    ...Array.from({ length: extra }, junkItem),
  ]);
  const labels = input.labels.map((row) => [...row, ...Array.from({ length: extra }, () => junkLabel)]);
  const mask = input.mask.map((row) => [...row, ...Array.from({ length: extra }, () => 0)]);
  if (addEmptyList) {
    const length = (labels[0] ?? []).length;
    scores.push(Array.from({ length }, junkItem));
    labels.push(Array.from({ length }, () => junkLabel));
    mask.push(Array.from({ length }, () => 0));
  }
  return { ...input, scores: scores as Scores, labels, mask };
}

/**
 * Splits a gradient computed on `withPadding(original, extra, ...)` into the entries of the original real
 * items (in the original's flattened order) and every other entry (padded items and the empty list).
 */
export function splitPaddedGradient(
  padded: readonly number[],
  original: LossCase,
  extra: number,
): { real: number[]; padding: number[] } {
  const is3d = Array.isArray(original.scores[0]?.[0]);
  const outputs = is3d ? ((original.scores as number[][][])[0]?.[0]?.length ?? 1) : 1;
  const length = (original.labels[0] ?? []).length;
  const real: number[] = [];
  const padding: number[] = [];
  padded.forEach((value, flatIndex) => {
    const item = Math.floor(flatIndex / outputs);
    const list = Math.floor(item / (length + extra));
    const position = item % (length + extra);
    const isOriginalReal =
      list < original.labels.length && position < length && original.mask[list]?.[position] === 1;
    (isOriginalReal ? real : padding).push(value);
  });
  const originalReal = original.mask.flat().filter((m) => m === 1).length * outputs;
  if (real.length !== originalReal)
    throw new Error('splitPaddedGradient: shapes do not match the original case');
  return { real, padding };
}

/** Entries of an unpadded gradient that belong to real items, in flattened order. */
export function realEntries(gradient: readonly number[], original: LossCase): number[] {
  const is3d = Array.isArray(original.scores[0]?.[0]);
  const outputs = is3d ? ((original.scores as number[][][])[0]?.[0]?.length ?? 1) : 1;
  const flags = original.mask.flat();
  return gradient.filter((_, flatIndex) => flags[Math.floor(flatIndex / outputs)] === 1);
}

/** How many tensors `run` leaves behind. */
export function leakedTensors(run: () => void): number {
  const before = tf.memory().numTensors;
  run();
  return tf.memory().numTensors - before;
}
