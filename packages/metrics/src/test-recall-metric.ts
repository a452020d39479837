import { z } from 'zod';
import { defineMetric, METRIC_CONTRACT_VERSION, rankedLabels } from './metric-plugin.js';

/**
 * Recall@k as a plugin, for this package's tests: the fraction of a query's relevant documents (label above
 * `threshold`) ranked in the top k; 0 for a query with none.
 */
export const recall = defineMetric({
  name: 'recall',
  contractVersion: METRIC_CONTRACT_VERSION,
  options: z.strictObject({ threshold: z.number().min(0).default(0) }),
  higherIsBetter: true,
  range: [0, 1],
  noRelevant: 'zero',
  perQuery: (query, k, options) => {
    const labels = rankedLabels(query);
    const relevant = labels.filter((y) => y > options.threshold).length;
    if (relevant === 0) return 0;
    return labels.slice(0, Math.min(k, labels.length)).filter((y) => y > options.threshold).length / relevant;
  },
});
