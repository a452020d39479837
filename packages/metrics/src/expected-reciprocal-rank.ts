import { UserError } from '@mtl2r/core';
import type { NoRelevantRule, TieRule } from './metric-spec.js';
import { type RankedQuery, rankQuery } from './ranked-query.js';
import { checkRankingInput, noRelevantValue, resolveCutoff } from './ranking-input.js';

export interface ErrOptions {
  /** Cut-off; omitted: the whole list. */
  k?: number;
  /** Top grade of the label scale; default the largest label of the list. */
  maxGrade?: number;
  /** Value when no label is above 0 (ERR is then 0 for every ranking); default `one`. */
  noRelevant?: NoRelevantRule;
  /** Default `pessimistic`; `average` is not defined for ERR. */
  ties?: Exclude<TieRule, 'average'>;
}

/**
 * Expected reciprocal rank (Chapelle, Metzler, Zhang, Grinspan 2009): the user scans down the list and stops
 * at rank r with probability R_r = (2^g - 1) / 2^maxGrade; ERR@k = sum_{r<=k} (1/r) R_r prod_{i<r} (1 - R_i).
 */
export function errOfRankedQuery(
  query: RankedQuery,
  k: number,
  maxGrade: number,
  noRelevant: NoRelevantRule,
): number {
  const { labels, order } = query;
  const scale = 2 ** maxGrade;
  let anyPositive = false;
  for (const index of order) {
    const label = labels[index] as number;
    if (label > maxGrade) {
      throw new UserError(
        `label ${label} (document ${index}) is above maxGrade ${maxGrade}; ERR needs every label <= maxGrade`,
      );
    }
    if (label > 0) anyPositive = true;
  }
  if (!anyPositive) return noRelevantValue(noRelevant);
  const cut = Math.min(k, order.length);
  let notStoppedYet = 1;
  let total = 0;
  for (let p = 0; p < cut; p++) {
    const stop = (2 ** (labels[order[p] as number] as number) - 1) / scale;
    total += (notStoppedYet * stop) / (p + 1);
    notStoppedYet *= 1 - stop;
  }
  return total;
}

/** ERR@k of a single list; NaN when skipped. */
export function expectedReciprocalRank(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: ErrOptions = {},
): number {
  checkRankingInput(scores, labels, [0, scores.length], true);
  const query = rankQuery(scores, labels, 0, scores.length, options.ties ?? 'pessimistic');
  let maxGrade = options.maxGrade;
  if (maxGrade === undefined) {
    maxGrade = 0;
    for (let i = 0; i < labels.length; i++) maxGrade = Math.max(maxGrade, labels[i] as number);
  }
  return errOfRankedQuery(query, resolveCutoff(options.k, 'k'), maxGrade, options.noRelevant ?? 'one');
}
