import { UserError } from '@mtl2r/core';
import type { RankingSplit } from '@mtl2r/data/browser';
import * as tf from '@tensorflow/tfjs-core';
import type { BrowserModel } from './load-model.js';

/** One query's documents with their scores: `scores[d][h]` from head h (one head per task, or one shared). */
export interface ScoredQuery {
  qid: string;
  scores: number[][];
  /** Document index within the query, in file order. */
  docs: number[];
}

/**
 * Scores every query of a split in evaluation mode, one list per forward pass (nothing padded, so each
 * score is exactly the model's score of that list). Non-finite scores are refused as `mtl2r predict` does.
 * A preference-conditioned model (`model.ranker.conditioned`) needs `options.preference`, the slider's
 * trade-off: re-score with it on every move instead of only re-weighting fixed task scores.
 */
export function scoreQueries(
  model: BrowserModel,
  split: RankingSplit,
  options: { preference?: readonly number[] } = {},
): ScoredQuery[] {
  const forward = options.preference === undefined ? {} : { preference: options.preference };
  const width = split.featureCount;
  const heads = model.ranker.outputCount;
  return split.queryIds.map((qid, q) => {
    const start = split.queryOffsets[q] as number;
    const count = (split.queryOffsets[q + 1] as number) - start;
    const values = tf.tidy(() => {
      const features = tf.tensor3d(split.features.subarray(start * width, (start + count) * width), [
        1,
        count,
        width,
      ]);
      const mask = tf.ones([1, count]) as tf.Tensor2D;
      return model.ranker.apply(features, mask, forward).dataSync() as Float32Array;
    });
    const scores = Array.from({ length: count }, (_, d) =>
      Array.from(values.subarray(d * heads, (d + 1) * heads)),
    );
    const bad = scores.findIndex((row) => !row.every(Number.isFinite));
    if (bad >= 0) {
      throw new UserError(
        `${model.source}: the model gives a non-finite score on ${split.source} for qid ${qid} document ${bad}; no scores are shown`,
      );
    }
    return { qid, scores, docs: Array.from({ length: count }, (_, d) => d) };
  });
}

/**
 * The combined score of each document under a preference r over the tasks (normalised to sum 1):
 * sum_k r_k s_k with per-task heads; with one shared head the tasks share the score and r changes nothing.
 */
export function combineScores(query: ScoredQuery, preference: readonly number[]): number[] {
  const heads = query.scores[0]?.length ?? 1;
  if (heads === 1) return query.scores.map((row) => row[0] as number);
  if (preference.length !== heads) {
    throw new UserError(`preference has ${preference.length} entries; the model has ${heads} task heads`);
  }
  const total = preference.reduce((a, b) => a + b, 0);
  if (!(total > 0) || preference.some((r) => !(r >= 0))) {
    throw new UserError(`preference [${preference.join(', ')}] must be non-negative with a positive sum`);
  }
  return query.scores.map((row) =>
    row.reduce((sum, s, k) => sum + ((preference[k] as number) / total) * s, 0),
  );
}

/** Document order by combined score, best first (ties: file order). */
export function rankDocuments(combined: readonly number[]): number[] {
  return combined
    .map((score, d) => ({ score, d }))
    .sort((a, b) => b.score - a.score || a.d - b.d)
    .map((entry) => entry.d);
}
