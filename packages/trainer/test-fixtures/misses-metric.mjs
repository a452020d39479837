// A metric plugin written as a plain JavaScript file, loaded by path in metric-plugins.test.ts: the
// fraction of the top k documents with label 0 (lower is better); a query without a relevant one is skipped.
const schema = { '~standard': { version: 1, vendor: 'fixture', validate: (value) => ({ value }) } };

export default {
  name: 'misses',
  contractVersion: 1,
  options: schema,
  higherIsBetter: false,
  range: [0, 1],
  noRelevant: 'skip',
  perQuery(query, k) {
    if (!query.order.some((i) => query.labels[i] > 0)) return Number.NaN;
    const cut = Math.min(k, query.order.length);
    let misses = 0;
    for (let p = 0; p < cut; p++) if (query.labels[query.order[p]] <= 0) misses++;
    return misses / cut;
  },
};
