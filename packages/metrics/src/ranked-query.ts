import type { TieRule } from './metric-spec.js';

/**
 * One query's documents in ranked order, the shared input of every metric kernel. Ranking once and
 * reusing the order for all metrics is what makes `evaluateRanking` cheap.
 */
export interface RankedQuery {
  /** Labels of the whole columnar array (indexed by `order`'s absolute indices). */
  labels: ArrayLike<number>;
  /** Absolute document indices, best first. */
  order: Int32Array;
  /**
   * Only for the `average` tie rule: for ranked position p, the exclusive end position of p's tie group.
   * Undefined for the other rules (every position is its own group).
   */
  tieGroupEnd: Int32Array | undefined;
  /** The query's labels sorted descending (the ideal ranking), filled on first use by `idealLabels`. */
  labelsDescending?: Float64Array;
}

/** Ranks documents [start, end) by descending score under the given tie rule. Scores must not be NaN. */
export function rankQuery(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  start: number,
  end: number,
  ties: TieRule,
): RankedQuery {
  const indices: number[] = new Array<number>(end - start);
  for (let i = start; i < end; i++) indices[i - start] = i;
  // `a - b` last keeps the sort deterministic whatever the engine's sort algorithm is. Equal infinities
  // give NaN differences, which `||` treats as a tie.
  if (ties === 'pessimistic') {
    indices.sort(
      (a, b) =>
        (scores[b] as number) - (scores[a] as number) ||
        (labels[a] as number) - (labels[b] as number) ||
        a - b,
    );
  } else {
    indices.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  }
  const order = Int32Array.from(indices);
  let tieGroupEnd: Int32Array | undefined;
  if (ties === 'average') {
    tieGroupEnd = new Int32Array(order.length);
    let groupStart = 0;
    for (let p = 1; p <= order.length; p++) {
      const sameScore =
        p < order.length && scores[order[p] as number] === scores[order[groupStart] as number];
      if (!sameScore) {
        tieGroupEnd.fill(p, groupStart, p);
        groupStart = p;
      }
    }
  }
  return { labels, order, tieGroupEnd };
}

/**
 * Sum over the top `k` ranked positions p (0-based) of weight(p) * value(label at p). Under the `average`
 * tie rule the label value at p is replaced by the mean value of p's tie group, which is the expectation
 * over all orderings of the group (the sum is linear in the values).
 */
export function weightedTopKSum(
  query: RankedQuery,
  k: number,
  value: (label: number) => number,
  weight: (position: number) => number,
): number {
  const { labels, order, tieGroupEnd } = query;
  const cut = Math.min(k, order.length);
  let total = 0;
  if (tieGroupEnd === undefined) {
    for (let p = 0; p < cut; p++) total += weight(p) * value(labels[order[p] as number] as number);
    return total;
  }
  let groupStart = 0;
  while (groupStart < cut) {
    const groupEnd = tieGroupEnd[groupStart] as number;
    let valueSum = 0;
    for (let p = groupStart; p < groupEnd; p++) valueSum += value(labels[order[p] as number] as number);
    let weightSum = 0;
    for (let p = groupStart; p < Math.min(groupEnd, cut); p++) weightSum += weight(p);
    total += (valueSum / (groupEnd - groupStart)) * weightSum;
    groupStart = groupEnd;
  }
  return total;
}

/**
 * The query's labels in descending order, computed once per query and shared by every metric that needs
 * the ideal ranking (NDCG at several cut-offs). Gains are increasing in the label, so this is also the
 * ideal order of the gains.
 */
export function idealLabels(query: RankedQuery): Float64Array {
  if (query.labelsDescending === undefined) {
    const sorted = new Float64Array(query.order.length);
    for (let p = 0; p < sorted.length; p++) sorted[p] = query.labels[query.order[p] as number] as number;
    sorted.sort().reverse();
    query.labelsDescending = sorted;
  }
  return query.labelsDescending;
}
