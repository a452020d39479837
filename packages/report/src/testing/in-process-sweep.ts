import { join } from 'node:path';
import { Registry } from '@mtl2r/core';
import ls from '@mtl2r/strategy-ls';
import stl from '@mtl2r/strategy-stl';
import {
  executeSweep,
  parseSweepFile,
  planSweep,
  runTrainingJob,
  type SweepExecutor,
  type SweepOutcome,
} from '@mtl2r/sweep';
import { writeBundledSubset } from '@mtl2r/trainer';

/** Runs a sweep's jobs one after another in this process (tests: no worker processes to fork). */
class InProcessExecutor implements SweepExecutor {
  readonly description = 'this process';
  readonly parallelism = 1;
  private readonly registry = new Registry().use(ls).use(stl);

  async execute(
    jobs: Parameters<SweepExecutor['execute']>[0],
    events: Parameters<SweepExecutor['execute']>[1],
  ) {
    for (const job of jobs) {
      events.onStart(job);
      try {
        events.onDone(job, await runTrainingJob({ job, runDir: job.runDir }, this.registry));
      } catch (error) {
        events.onFailed(job, (error as Error).message, 1);
      }
    }
  }

  async close(): Promise<void> {}
}

/**
 * A real two-task sweep on an MQ2008 subset: STL baselines and linear scalarisation at three preference
 * rows, `epochs` epochs of a one-block model on the cpu backend (a few seconds a run). Returns the folder.
 */
export async function trainTinySweep(
  dir: string,
  epochs = 2,
): Promise<{ outDir: string; outcome: SweepOutcome }> {
  const files = writeBundledSubset('mq2008', join(dir, 'data'), { train: 12, vali: 8, test: 8 });
  const sweep = parseSweepFile({
    base: {
      seed: 3,
      backend: 'cpu',
      data: {
        ...files,
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
      training: { epochs, batchSize: 4, logEvery: 1 },
      evaluation: { metrics: ['ndcg@5', 'ndcg@10'] },
      earlyStopping: { metric: 'ndcg@10' },
    },
    grid: {
      strategies: [{ id: 'ls' }],
      preferences: {
        generator: 'list',
        rows: [
          [0.9, 0.1],
          [0.5, 0.5],
          [0.1, 0.9],
        ],
      },
    },
  });
  const outDir = join(dir, 'sweep');
  const registry = new Registry().use(ls).use(stl);
  const plan = planSweep(sweep, {
    sweepDir: dir,
    outDir,
    catalog: {
      ids: () => registry.list().map((plugin) => plugin.id),
      needsPreference: (id) => registry.get(id).needs.preference === true,
    },
  });
  const outcome = await executeSweep(plan, new InProcessExecutor(), { write: () => {}, isTty: false });
  return { outDir, outcome };
}
