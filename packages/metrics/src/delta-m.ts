import { ConfigError } from '@mtl2r/core';

/** One (task, metric) comparison between a multi-task model and its single-task (STL) baseline. */
export interface DeltaMTerm {
  task: string;
  metric: string;
  /** The multi-task model's value M. */
  value: number;
  /** The single-task baseline's value M_STL (must not be 0). */
  baseline: number;
  /** True for NDCG, MRR, MAP, P@k, ERR; false for losses and errors. */
  higherIsBetter: boolean;
}

export interface DeltaMOptions {
  /**
   * `terms` (default): T is the number of (task, metric) terms (Nash-MTL, FAMO, the spec). `tasks`: average
   * the terms within each task first, then over tasks (LibMTL). They agree when every task has as many
   * metrics as every other.
   */
  average?: 'terms' | 'tasks';
}

/**
 * delta_m% = (100 / T) * sum over (task, metric) of (-1)^{higherIsBetter} * (M - M_STL) / M_STL (spec §4).
 *
 * Sign: **negative means better than the single-task baselines**, lower is better (as reported by
 * Nash-MTL, CAGrad and FAMO). A higher-is-better metric that rises gives a negative term; a loss that falls
 * gives a negative term. LibMTL's Delta_p uses the opposite sign (positive = better): Delta_p = -deltaM(...,
 * { average: 'tasks' }).
 */
export function deltaM(terms: readonly DeltaMTerm[], options: DeltaMOptions = {}): number {
  const average = options.average ?? 'terms';
  if (average !== 'terms' && average !== 'tasks') {
    throw new ConfigError('Bad delta_m option', [
      { path: 'average', message: `got ${JSON.stringify(average)}; expected "terms" or "tasks"` },
    ]);
  }
  if (terms.length === 0) {
    throw new ConfigError('delta_m needs at least one term', [
      { path: 'terms', message: 'got an empty list; expected one entry per (task, metric)' },
    ]);
  }
  const byTask = new Map<string, number[]>();
  const allTerms: number[] = [];
  terms.forEach((term, i) => {
    const where = `terms[${i}] (${term.task} ${term.metric})`;
    if (!Number.isFinite(term.value) || !Number.isFinite(term.baseline)) {
      throw new ConfigError('Bad delta_m term', [
        { path: where, message: `value ${term.value} and baseline ${term.baseline} must both be finite` },
      ]);
    }
    if (term.baseline === 0) {
      throw new ConfigError('Bad delta_m term', [
        {
          path: `${where}.baseline`,
          message: 'is 0; delta_m divides by the single-task value, which must be non-zero',
        },
      ]);
    }
    const sign = term.higherIsBetter ? -1 : 1;
    const relative = (sign * (term.value - term.baseline)) / term.baseline;
    allTerms.push(relative);
    const list = byTask.get(term.task) ?? [];
    list.push(relative);
    byTask.set(term.task, list);
  });
  const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  if (average === 'terms') return 100 * mean(allTerms);
  return 100 * mean([...byTask.values()].map(mean));
}
