import { ConfigError, UserError } from '@mtl2r/core';
import type { NoRelevantRule } from './metric-spec.js';

/**
 * Checks columnar ranking input: equal lengths, offsets that start at 0, never decrease and end at the
 * document count, scores that are not NaN (infinities are allowed and rank first or last) and finite labels
 * (non-negative when a graded metric needs a gain). Errors name the array, index and query.
 */
export function checkRankingInput(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  queryOffsets: ArrayLike<number>,
  labelsMustBeNonNegative: boolean,
): void {
  if (scores.length !== labels.length) {
    throw new UserError(
      `scores and labels differ in length (${scores.length} vs ${labels.length}); expected one label per scored document`,
    );
  }
  if (queryOffsets.length < 1 || queryOffsets[0] !== 0) {
    throw new UserError(
      `queryOffsets must start with 0 and hold Q + 1 entries; got ${queryOffsets.length === 0 ? 'an empty array' : `queryOffsets[0] = ${queryOffsets[0]}`}`,
    );
  }
  for (let q = 1; q < queryOffsets.length; q++) {
    if ((queryOffsets[q] as number) < (queryOffsets[q - 1] as number)) {
      throw new UserError(
        `queryOffsets[${q}] = ${queryOffsets[q]} is below queryOffsets[${q - 1}] = ${queryOffsets[q - 1]}; expected non-decreasing offsets`,
      );
    }
  }
  const last = queryOffsets[queryOffsets.length - 1] as number;
  if (last !== scores.length) {
    throw new UserError(
      `queryOffsets ends at ${last} but there are ${scores.length} documents; expected the last offset to equal the document count`,
    );
  }
  for (let i = 0; i < scores.length; i++) {
    const label = labels[i] as number;
    // One cheap test per document; the query is located only to word an error.
    if (!Number.isNaN(scores[i]) && Number.isFinite(label) && (label >= 0 || !labelsMustBeNonNegative))
      continue;
    const where = `(${documentPosition(queryOffsets, i)})`;
    if (Number.isNaN(scores[i])) throw new UserError(`scores[${i}] ${where} is NaN; expected a number`);
    if (!Number.isFinite(label))
      throw new UserError(`labels[${i}] ${where} is ${label}; expected a finite number`);
    throw new UserError(
      `labels[${i}] ${where} is ${label}; NDCG and ERR need labels >= 0 (gain 2^y - 1 or y; remap negative grades first)`,
    );
  }
}

/** `query q, document j` for absolute document index i (offsets already checked). */
function documentPosition(queryOffsets: ArrayLike<number>, i: number): string {
  let query = 0;
  while ((queryOffsets[query + 1] as number) <= i) query++;
  return `query ${query}, document ${i - (queryOffsets[query] as number)}`;
}

/** The value a query gets when no ranking of it can score above zero (NaN marks a skipped query). */
export function noRelevantValue(rule: NoRelevantRule): number {
  return rule === 'one' ? 1 : rule === 'zero' ? 0 : Number.NaN;
}

/** Checks an optional cut-off k (a positive integer) and returns it, Infinity when omitted. */
export function resolveCutoff(k: number | undefined, where: string): number {
  if (k === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(k) || k < 1) {
    throw new ConfigError('Bad ranking metric cut-off', [
      { path: where, message: `got ${k}; expected a positive integer` },
    ]);
  }
  return k;
}
