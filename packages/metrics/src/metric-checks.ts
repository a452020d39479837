import { Rng } from '@mtl2r/core';
import { evaluateRanking } from './evaluate-ranking.js';
import type { MetricPlugin } from './metric-plugin.js';
import { MetricRegistry } from './metric-registry.js';
import { formatMetric, type NoRelevantRule, parseMetricEntry } from './metric-spec.js';
import { noRelevantValue } from './ranking-input.js';

/** A rule of the metric contract that a metric broke, with the query that shows it. */
export class MetricConformanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricConformanceError';
  }
}

/** One query's value as a run computes it (`evaluateRanking`, default pessimistic ties). */
export type QueryMetric = (
  scores: readonly number[],
  labels: readonly number[],
  k: number | undefined,
) => number;

/** What the checks run on: the metric's declared properties and its per-query value. */
export interface MetricUnderTest {
  plugin: MetricPlugin<unknown>;
  value: QueryMetric;
  /** The cut-offs to check; `undefined` is the whole list (left out when the metric needs a k). */
  cutoffs: readonly (number | undefined)[];
  /** What an all-zero-label query gives with these options. */
  noRelevant: NoRelevantRule;
}

/** Binds a plugin with options for the checks; options are validated by its schema, as in a run. */
export function metricUnderTest(
  plugin: MetricPlugin<unknown>,
  options: Record<string, unknown> = {},
  cutoffs: readonly (number | undefined)[] = [undefined, 1, 3, 5],
  noRelevant: NoRelevantRule = plugin.noRelevant,
): MetricUnderTest {
  const registry = new MetricRegistry().use(plugin);
  const value: QueryMetric = (scores, labels, k) => {
    const spec = parseMetricEntry(
      { name: plugin.name, ...(k === undefined ? {} : { k }), options },
      'metric',
      registry,
    );
    const [result] = evaluateRanking(scores, labels, [0, scores.length], [spec], { registry });
    return result?.perQuery[0] as number;
  };
  return {
    plugin,
    value,
    cutoffs: cutoffs.filter((k) => k !== undefined || plugin.cutoff !== 'required'),
    noRelevant,
  };
}

const LIST_LENGTHS = [2, 3, 5, 8, 13, 30] as const;
const CASES_PER_LENGTH = 8;

/** Random queries with graded labels 0..4 (at least one above 0) and distinct scores; fixed seed. */
export function randomQueries(seed = 7): { scores: number[]; labels: number[] }[] {
  const rng = new Rng(seed);
  return LIST_LENGTHS.flatMap((length) =>
    Array.from({ length: CASES_PER_LENGTH }, () => {
      const labels = Array.from({ length }, () => rng.int(5));
      if (!labels.some((y) => y > 0)) labels[rng.int(length)] = 1 + rng.int(4);
      const scores = distinctScores(rng, length);
      return { scores, labels };
    }),
  );
}

function distinctScores(rng: Rng, length: number): number[] {
  return rng.shuffle(Array.from({ length }, (_, i) => i)).map((rank) => rank + 0.5 * rng.float());
}

function describeQuery(scores: readonly number[], labels: readonly number[], k: number | undefined): string {
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return `scores [${scores.map(round).join(', ')}], labels [${labels.join(', ')}], k ${k ?? 'none'}`;
}

function nameAt(m: MetricUnderTest, k: number | undefined): string {
  return formatMetric({ metric: m.plugin.name, ...(k === undefined ? {} : { k }) });
}

/** Every value is finite and inside the declared range. */
export function checkRange(m: MetricUnderTest): void {
  const [min, max] = m.plugin.range;
  for (const { scores, labels } of randomQueries()) {
    for (const k of m.cutoffs) {
      const value = m.value(scores, labels, k);
      if (!Number.isFinite(value) || value < min - 1e-12 || value > max + 1e-12) {
        throw new MetricConformanceError(
          `${nameAt(m, k)} is ${value}, outside its declared range [${min}, ${max}], on ${describeQuery(scores, labels, k)}`,
        );
      }
    }
  }
}

/** With distinct scores, the order documents arrive in does not matter. */
export function checkOrderInvariance(m: MetricUnderTest): void {
  const rng = new Rng(11);
  for (const { scores, labels } of randomQueries()) {
    const permutation = rng.shuffle(scores.map((_, i) => i));
    const shuffledScores = permutation.map((i) => scores[i] as number);
    const shuffledLabels = permutation.map((i) => labels[i] as number);
    for (const k of m.cutoffs) {
      const before = m.value(scores, labels, k);
      const after = m.value(shuffledScores, shuffledLabels, k);
      if (Math.abs(before - after) > 1e-12) {
        throw new MetricConformanceError(
          `${nameAt(m, k)} changes from ${before} to ${after} when the same documents arrive in another order (${describeQuery(scores, labels, k)})`,
        );
      }
    }
  }
}

/** Ranking by the labels scores at least as well as any ranking (at most as low, when lower is better). */
export function checkIdealRanking(m: MetricUnderTest): void {
  const sense = m.plugin.higherIsBetter ? 1 : -1;
  for (const { scores, labels } of randomQueries()) {
    for (const k of m.cutoffs) {
      const ideal = m.value(labels, labels, k);
      const random = m.value(scores, labels, k);
      if (sense * (ideal - random) < -1e-12) {
        throw new MetricConformanceError(
          `${nameAt(m, k)} of the ideal ranking (scores = labels) is ${ideal}, ${sense > 0 ? 'below' : 'above'} ${random} of the ranking ${describeQuery(scores, labels, k)} although ${m.plugin.higherIsBetter ? 'higher' : 'lower'} is declared better`,
        );
      }
    }
  }
}

/** The same query twice gives the same value. */
export function checkDeterminism(m: MetricUnderTest): void {
  for (const { scores, labels } of randomQueries()) {
    for (const k of m.cutoffs) {
      const first = m.value(scores, labels, k);
      const second = m.value([...scores], [...labels], k);
      if (!Object.is(first, second)) {
        throw new MetricConformanceError(
          `${nameAt(m, k)} gives ${first} then ${second} on the same query (${describeQuery(scores, labels, k)})`,
        );
      }
    }
  }
}

/** Reordering the documents ranked below k (keeping them below k) does not change the value at k. */
export function checkCutoff(m: MetricUnderTest): void {
  const rng = new Rng(13);
  for (const { scores, labels } of randomQueries()) {
    for (const k of m.cutoffs) {
      if (k === undefined || k >= scores.length - 1) continue;
      const byScore = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
      const below = byScore.slice(k);
      const reshuffled = rng.shuffle(below.map((i) => scores[i] as number));
      const moved = [...scores];
      below.forEach((i, j) => {
        moved[i] = reshuffled[j] as number;
      });
      const before = m.value(scores, labels, k);
      const after = m.value(moved, labels, k);
      if (Math.abs(before - after) > 1e-12) {
        throw new MetricConformanceError(
          `${nameAt(m, k)} changes from ${before} to ${after} when only documents ranked below ${k} are reordered (${describeQuery(scores, labels, k)} vs scores [${moved.map((v) => Math.round(v * 1000) / 1000).join(', ')}])`,
        );
      }
    }
  }
}

/** A one-document query gives a finite value in range; an all-zero-label query the declared `noRelevant`. */
export function checkEdgeQueries(m: MetricUnderTest): void {
  const [min, max] = m.plugin.range;
  const expected = noRelevantValue(m.noRelevant);
  for (const k of m.cutoffs) {
    for (const label of [1, 3]) {
      const value = m.value([0.5], [label], k);
      if (!Number.isFinite(value) || value < min - 1e-12 || value > max + 1e-12) {
        throw new MetricConformanceError(
          `${nameAt(m, k)} of a single document with label ${label} is ${value}; expected a finite value in [${min}, ${max}]`,
        );
      }
    }
    for (const length of [1, 4]) {
      const zeros = Array.from({ length }, () => 0);
      const scores = zeros.map((_, i) => length - i);
      const value = m.value(scores, zeros, k);
      if (!Object.is(value, expected)) {
        throw new MetricConformanceError(
          `${nameAt(m, k)} of a query of ${length} document(s) with every label 0 is ${value}; its declared noRelevant '${m.noRelevant}' means ${expected}`,
        );
      }
    }
  }
}

/** The checks by name, in the order the suite runs them. */
export const metricChecks: readonly (readonly [string, (m: MetricUnderTest) => void])[] = [
  ['every value is finite and inside the declared range', checkRange],
  ['the order documents arrive in does not matter when scores are distinct', checkOrderInvariance],
  ['the ideal ranking (scores = labels) is at least as good as any random ranking', checkIdealRanking],
  ['the same query gives the same value', checkDeterminism],
  ['documents ranked below the cut-off k do not change the value', checkCutoff],
  ['single-document and all-zero-label queries follow the declared rule', checkEdgeQueries],
];
