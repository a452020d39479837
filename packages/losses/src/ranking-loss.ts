import type { Rng } from '@mtl2r/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';

/** Scores from the model: [B, L] for one score per item, [B, L, n] for losses that need n outputs per item. */
export type LossScores = tf.Tensor2D | tf.Tensor3D;

/** Per-call extras. Only losses with randomness (ListMLE's tie break) read them. */
export interface LossComputeContext {
  /** Random source for this call; overrides the loss's own seeded stream. */
  rng?: Rng;
}

/**
 * A masked ranking loss, created by name with `createLoss`.
 *
 * Inputs: `scores` [B, L] (or [B, L, outputs] when `outputs > 1`), `labels` [B, L] graded >= 0, `mask` [B, L]
 * with 1 for a real item and 0 for padding. Padded items never influence the value or the gradients of real
 * items, and receive zero gradient themselves. Returns a scalar: the loss's reduction (see the README) over the
 * lists that contribute; a batch where no list contributes gives 0 with finite (zero) gradients.
 */
export interface RankingLoss {
  /** The registry id, e.g. 'lambdaLoss'. */
  readonly name: string;
  /** Scores per item the loss reads: 1 means scores are [B, L]; n > 1 means [B, L, n]. */
  readonly outputs: number;
  /**
   * True when the loss can be <= 0 for some inputs (by design, like the negated NDCG losses, or at an
   * attainable optimum, like RMSE). Strategies taking log(loss) must refuse these up front.
   */
  readonly canBeNonPositive: boolean;
  compute(
    scores: LossScores,
    labels: tf.Tensor2D,
    mask: tf.Tensor2D,
    context?: LossComputeContext,
  ): tf.Scalar;
}

/** What `createLoss` hands every loss factory besides its validated options. */
export interface LossCreationSettings {
  /** Seeded random source for losses with randomness; derived per loss. */
  rng?: Rng;
}

/**
 * One loss in the registry: its id, its options schema (zod v4, so config errors name exact paths) and a
 * factory taking the validated options.
 */
export interface LossDefinition<Schema extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly options: Schema;
  create(options: z.output<Schema>, settings?: LossCreationSettings): RankingLoss;
}
