import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '@mtl2r/core';
import ec from '@mtl2r/strategy-ec';
import ls from '@mtl2r/strategy-ls';
import stl from '@mtl2r/strategy-stl';
import { writeBundledSubset } from '@mtl2r/trainer';
import type { StrategyCatalog } from '../expand-grid.js';

/** The worker module tests fork (it registers ls, stl and ec). */
export const TEST_WORKER_ENTRY = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));

/** The strategies the test worker has, as a catalog. */
export function testCatalog(): StrategyCatalog {
  return registryCatalog(new Registry().use(ls).use(stl).use(ec));
}

export function registryCatalog(registry: Registry): StrategyCatalog {
  return {
    ids: () => registry.list().map((plugin) => plugin.id),
    needsPreference: (id) => registry.get(id).needs.preference === true,
  };
}

/**
 * A tiny two-task sweep on an MQ2008 subset in `dir`: `epochs` epochs of a one-block model on the cpu
 * backend, so a run takes a second or two.
 */
export function tinySweep(
  dir: string,
  grid: Record<string, unknown>,
  epochs = 1,
  queries = 12,
): Record<string, unknown> {
  const files = writeBundledSubset('mq2008', join(dir, 'data'), { train: queries, vali: 8, test: 8 });
  return {
    base: {
      seed: 3,
      backend: 'cpu',
      data: {
        train: files.train,
        vali: files.vali,
        test: files.test,
        cacheDir: false,
        spec: {
          tasks: [
            { name: 'relevance', source: 'label' },
            { name: 'pagerank', feature: 41, transform: 'quantile-grades:3' },
          ],
          featureCount: 46,
        },
      },
      model: { modelDim: 8, blocks: 1, heads: 2, ffnDim: 16, dropout: 0 },
      losses: [{ name: 'listNet' }, { name: 'listNet' }],
      training: { epochs, batchSize: 4 },
      evaluation: { metrics: ['ndcg@5', 'ndcg@10'] },
      earlyStopping: { metric: 'ndcg@10' },
    },
    grid,
  };
}
