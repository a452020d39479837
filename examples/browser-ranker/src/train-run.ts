import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryIo, runCli } from '@mtl2r/cli';
import { writeBundledSubset } from '@mtl2r/trainer';

export interface TrainedRun {
  runDir: string;
  /** The bundled MQ2008 test queries written for the run (svmlight). */
  testFile: string;
  /** Runs another mtl2r command in the same folder; throws with its stderr when it fails. */
  cli(args: string[]): Promise<string>;
}

/**
 * Trains a ranker with per-task heads (relevance and PageRank on bundled MQ2008) through the real CLI, as
 * a user would: the model the page and `mtl2r predict` are compared on.
 */
export async function trainRun(
  work: string,
  options: {
    trainQueries: number;
    testQueries: number;
    model: Record<string, number | string>;
    epochs: number;
    /** Default `ls`; `pfl` with `model.conditioning` gives a preference-conditioned model. */
    strategy?: string;
    name?: string;
  },
): Promise<TrainedRun> {
  const files = writeBundledSubset('mq2008', work, {
    train: options.trainQueries,
    vali: 8,
    test: options.testQueries,
  });
  const cli = async (args: string[]): Promise<string> => {
    const io = memoryIo(work);
    const code = await runCli(args, io);
    if (code !== 0) throw new Error(`mtl2r ${args.join(' ')} exited ${code}: ${io.err.join('')}`);
    return io.out.join('');
  };
  const config = {
    seed: 11,
    data: {
      train: files.train,
      vali: files.vali,
      cacheDir: false,
      spec: {
        tasks: [
          { name: 'relevance', source: 'label' },
          { name: 'pagerank', feature: 41 },
        ],
        featureCount: 46,
        maxLabel: 2,
      },
    },
    model: { ...options.model, dropout: 0, perTaskHeads: true },
    losses: [{ name: 'listNet' }, { name: 'listNet' }],
    strategy: { id: options.strategy ?? 'ls' },
    training: { epochs: options.epochs, batchSize: 8 },
  };
  const name = options.name ?? 'run';
  writeFileSync(join(work, `${name}.json`), JSON.stringify(config));
  const runDir = join(work, name);
  await cli(['train', '-c', join(work, `${name}.json`), '--out', runDir]);
  return { runDir, testFile: files.test as string, cli };
}
