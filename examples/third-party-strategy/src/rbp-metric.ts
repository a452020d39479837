import { defineMetric, METRIC_CONTRACT_VERSION, rankedLabels } from '@mtl2r/metrics';
import { z } from 'zod';

/**
 * Rank-biased precision (Moffat & Zobel 2008, "Rank-biased precision for measurement of retrieval
 * effectiveness", TOIS 27(1)): a user reads the first document and moves on to the next with probability
 * `persistence` p, so RBP = (1 - p) * sum_i r_i * p^(i - 1) over ranks i, with r_i in [0, 1] the document's
 * relevance: min(label, maxGrade) / maxGrade (maxGrade 1: binary, any label >= 1 is relevant). `rbp@k`
 * sums the first k ranks only (the paper's lower bound after k documents). A query with no relevant
 * document gets 0 for every ranking.
 */
export const rbp = defineMetric({
  name: 'rbp',
  contractVersion: METRIC_CONTRACT_VERSION,
  packageName: 'mtl2r-strategy-unitnorm',
  description: 'rank-biased precision (example third-party metric)',
  options: z.strictObject({
    persistence: z.number().gt(0).lt(1).default(0.8),
    maxGrade: z.number().positive().default(1),
  }),
  higherIsBetter: true,
  range: [0, 1],
  noRelevant: 'zero',
  perQuery: (query, k, { persistence, maxGrade }) => {
    const labels = rankedLabels(query);
    let total = 0;
    let weight = 1 - persistence;
    for (let i = 0; i < Math.min(k, labels.length); i++) {
      total += weight * (Math.min(Math.max(labels[i] as number, 0), maxGrade) / maxGrade);
      weight *= persistence;
    }
    return total;
  },
});

export default rbp;
