import { UserError } from '@mtl2r/core';
import type * as tf from '@tensorflow/tfjs-core';

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Checks shapes and dtypes before a loss runs, so a wrong input fails with a message naming the loss, the
 * argument and the expected shape instead of a broadcasting error deep inside tfjs. Values are not read
 * (that would force a device sync every step).
 */
export function assertLossInputs(
  lossName: string,
  outputs: number,
  scores: tf.Tensor,
  labels: tf.Tensor,
  mask: tf.Tensor,
): void {
  if (labels.rank !== 2) {
    throw new UserError(
      `loss '${lossName}': labels must be a 2-D tensor [B, L], got shape ${shapeText(labels.shape)}`,
    );
  }
  const [batch, length] = labels.shape as [number, number];
  const expectedScores = outputs === 1 ? [batch, length] : [batch, length, outputs];
  const scoresMatch =
    scores.rank === expectedScores.length &&
    scores.shape.every((size, axis) => size === expectedScores[axis]);
  if (!scoresMatch) {
    throw new UserError(
      `loss '${lossName}': scores must have shape ${outputs === 1 ? '[B, L]' : `[B, L, ${outputs}]`} = ${shapeText(expectedScores)} to match labels, got ${shapeText(scores.shape)}`,
    );
  }
  if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== length) {
    throw new UserError(
      `loss '${lossName}': mask must have the labels' shape ${shapeText([batch, length])}, got ${shapeText(mask.shape)}`,
    );
  }
  for (const [argument, tensor] of [
    ['scores', scores],
    ['labels', labels],
    ['mask', mask],
  ] as const) {
    if (tensor.dtype !== 'float32') {
      throw new UserError(`loss '${lossName}': ${argument} must be float32, got ${tensor.dtype}`);
    }
  }
}
