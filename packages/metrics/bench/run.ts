// Measures the package's two costly calls: evaluateRanking on an MSLR-WEB30K-sized split and the exact
// hypervolume of large fronts. Run with `pnpm bench` in this package.
import { Rng } from '@mtl2r/core';
import { z } from 'zod';
import {
  defineMetric,
  evaluateRanking,
  hypervolume,
  METRIC_CONTRACT_VERSION,
  MetricRegistry,
  rankedLabels,
} from '../src/index.js';

function timeIt(label: string, repeats: number, run: () => unknown): number {
  run(); // warm-up: let the JIT compile the hot loops
  const start = performance.now();
  for (let r = 0; r < repeats; r++) run();
  const ms = (performance.now() - start) / repeats;
  console.log(`${label}: ${ms.toFixed(1)} ms`);
  return ms;
}

const rng = new Rng('metrics-bench');
const queries = 6306;
const listLength = 120;
const documents = queries * listLength;
const scores = new Float32Array(documents);
const labels = new Float32Array(documents);
for (let i = 0; i < documents; i++) {
  scores[i] = rng.normal();
  labels[i] = rng.int(5);
}
const offsets = Int32Array.from({ length: queries + 1 }, (_, q) => q * listLength);
timeIt(`evaluateRanking ${queries} x ${listLength}, ndcg@1/5/10/30`, 5, () =>
  evaluateRanking(scores, labels, offsets, ['ndcg@1', 'ndcg@5', 'ndcg@10', 'ndcg@30']),
);
timeIt(`evaluateRanking ${queries} x ${listLength}, ndcg@10 mrr map p@5 err@10`, 5, () =>
  evaluateRanking(scores, labels, offsets, ['ndcg@10', 'mrr', 'map', 'p@5', 'err@10']),
);
// A metric plugin written the plain way (labels copied out with rankedLabels) against the built-in p@10
// it re-implements: the cost of the plugin path beyond the shared ranking.
const pluginPrecision = defineMetric({
  name: 'hits',
  contractVersion: METRIC_CONTRACT_VERSION,
  options: z.strictObject({}),
  higherIsBetter: true,
  range: [0, 1],
  noRelevant: 'one',
  perQuery: (query, k) => {
    const ranked = rankedLabels(query);
    if (!ranked.some((y) => y > 0)) return 1;
    return ranked.slice(0, k).filter((y) => y > 0).length / k;
  },
});
const registry = new MetricRegistry().use(pluginPrecision);
const builtinMs = timeIt(`evaluateRanking ${queries} x ${listLength}, p@10 (built-in)`, 5, () =>
  evaluateRanking(scores, labels, offsets, ['p@10']),
);
const pluginMs = timeIt(`evaluateRanking ${queries} x ${listLength}, hits@10 (plugin, same values)`, 5, () =>
  evaluateRanking(scores, labels, offsets, ['hits@10'], { registry }),
);
console.log(`plugin / built-in: ${(pluginMs / builtinMs).toFixed(2)}x`);

for (const [count, dimension] of [
  [10, 2],
  [50, 3],
  [50, 5],
  [100, 5],
  [50, 7],
] as const) {
  const front = Array.from({ length: count }, () => {
    const v = Array.from({ length: dimension }, () => Math.abs(rng.normal()));
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
  timeIt(`hypervolume ${count} points x ${dimension} objectives (all non-dominated)`, 3, () =>
    hypervolume(front, new Array<number>(dimension).fill(1)),
  );
}
