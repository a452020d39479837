import { describe, it } from 'vitest';
import {
  checkCutoff,
  checkDeterminism,
  checkEdgeQueries,
  checkIdealRanking,
  checkOrderInvariance,
  checkRange,
  MetricConformanceError,
  type MetricUnderTest,
  metricChecks,
  metricUnderTest,
  randomQueries,
} from './metric-checks.js';
import type { MetricPlugin } from './metric-plugin.js';
import type { NoRelevantRule } from './metric-spec.js';

export {
  checkCutoff,
  checkDeterminism,
  checkEdgeQueries,
  checkIdealRanking,
  checkOrderInvariance,
  checkRange,
  MetricConformanceError,
  type MetricUnderTest,
  metricChecks,
  metricUnderTest,
  randomQueries,
};

export interface MetricConformanceOptions<Options> {
  /** Options to check the metric with (validated by its schema); default `{}`. */
  options?: Partial<Options>;
  /** Cut-offs to check; default none (the whole list), 1, 3 and 5. */
  cutoffs?: readonly (number | undefined)[];
  /** What an all-zero-label query gives when `options` change it; default the plugin's `noRelevant`. */
  noRelevant?: NoRelevantRule;
}

/**
 * The conformance suite a metric plugin runs from its own test file (`@mtl2r/metrics/conformance`), on
 * seeded random queries evaluated exactly as a run evaluates them: every value finite and inside the
 * declared range; the same value whatever order the documents arrive in (distinct scores); the ideal
 * ranking at least as good as any other (in the declared sense); deterministic; documents ranked below k
 * change nothing; a single document gives a value in range and an all-zero-label query the declared
 * `noRelevant` value.
 *
 *   describeMetricConformance(rbp, { options: { persistence: 0.8 } });
 */
export function describeMetricConformance<Options>(
  plugin: MetricPlugin<Options>,
  settings: MetricConformanceOptions<Options> = {},
): void {
  const metric = metricUnderTest(
    plugin as MetricPlugin<unknown>,
    (settings.options ?? {}) as Record<string, unknown>,
    settings.cutoffs,
    settings.noRelevant,
  );
  describe(`metric '${plugin.name}' conforms to the metric contract`, () => {
    for (const [name, check] of metricChecks) it(name, () => check(metric));
  });
}
