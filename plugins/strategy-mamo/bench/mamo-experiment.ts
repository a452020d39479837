/**
 * The MAMO experiment (issue 14): STL per task, LS, MGDA and MAMO on the bundled MQ2008 Fold1 with the
 * starter config's three tasks (relevance; PageRank and inlink count from features 41 and 42 as 5 quantile
 * grades), the starter model (d 64, 2 blocks, 4 heads, FFN 128, dropout 0.1, per-task heads), ListNet per
 * task, Adam 1e-3, batch 32, the same seeds and epochs for every method.
 *
 *   pnpm --filter @mtl2r/strategy-mamo experiment                         10 epochs, seed 1
 *   pnpm --filter @mtl2r/strategy-mamo experiment --epochs 4 --seeds 1,2  shorter, two seeds
 *   ... --train-queries 120                                               the first 120 training queries only
 *
 * STL runs first (early stopping on their own task's validation NDCG@10); their best validation values are
 * the multi-task runs' `evaluation.baselines`, so LS, MGDA and MAMO keep the checkpoint with the best
 * validation delta_m. Test NDCG@10 of each kept checkpoint; delta_m% against the STL test values (negative
 * is better); seconds per epoch include validation; parameters as saved (STL: the three models together).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '@mtl2r/backend';
import { Registry } from '@mtl2r/core';
import { deltaM } from '@mtl2r/metrics';
import lsPlugin from '@mtl2r/strategy-ls';
import mgdaPlugin from '@mtl2r/strategy-mgda';
import stlPlugin from '@mtl2r/strategy-stl';
import {
  loadTrainedModel,
  parseTrainConfig,
  type TrainConfigInput,
  type TrainResult,
  train,
  writeBundledSubset,
} from '@mtl2r/trainer';
import mamoPlugin from '../src/index.js';

const TASKS = ['relevance', 'pagerank', 'inlinks'] as const;
const METRIC = 'ndcg@10';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '10' },
    seeds: { type: 'string', default: '1' },
    'train-queries': { type: 'string' },
    'search-epochs': { type: 'string', default: '1' },
  },
});
const backend = await selectBackend({ backend: 'auto' });
const epochs = Number(args.epochs);
const seeds = (args.seeds as string).split(',').map(Number);
const searchEpochs = Number(args['search-epochs']);
const registry = new Registry().use(stlPlugin).use(lsPlugin).use(mgdaPlugin).use(mamoPlugin);
const workDir = mkdtempSync(join(tmpdir(), 'mtl2r-mamo-experiment-'));

function dataFor(): TrainConfigInput['data'] {
  const spec = {
    tasks: [
      { name: 'relevance', source: 'label' as const },
      { name: 'pagerank', feature: 41, transform: 'quantile-grades:5' },
      { name: 'inlinks', feature: 42, transform: 'quantile-grades:5' },
    ],
    normalize: 'none' as const,
  };
  if (args['train-queries'] === undefined) return { dataset: 'mq2008', spec };
  const train = Number(args['train-queries']);
  const files = writeBundledSubset('mq2008', workDir, {
    train,
    vali: Math.ceil(train / 3),
    test: Math.ceil(train / 3),
  });
  return { ...files, cacheDir: false, spec: { ...spec, featureCount: 46 } };
}
const data = dataFor();

function configFor(seed: number, strategy: TrainConfigInput['strategy'], extra: Partial<TrainConfigInput>) {
  return parseTrainConfig({
    seed,
    data,
    model: { modelDim: 64, blocks: 2, heads: 4, ffnDim: 128, dropout: 0.1, perTaskHeads: true },
    losses: TASKS.map(() => ({ name: 'listNet' })),
    strategy,
    optimizer: { name: 'adam', learningRate: 0.001 },
    training: { epochs, batchSize: 32, maxSlateLength: 240, bucketByLength: true },
    evaluation: { metrics: [METRIC] },
    ...extra,
  } as TrainConfigInput);
}

interface RunOutcome {
  test: Record<string, number>;
  best: number | undefined;
  parameters: number;
  modules: number;
  /** The grown modules as `taskA~taskB@block`. */
  grown: string[];
  secondsPerEpoch: number;
}

async function run(name: string, config: ReturnType<typeof parseTrainConfig>): Promise<RunOutcome> {
  const runDir = join(workDir, name);
  const started = performance.now();
  let completedEpochs = 0;
  const result: TrainResult = await train({
    config,
    registry,
    runDir,
    onEvent: (e) => {
      if (e.type === 'epoch') completedEpochs += 1;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const model = await loadTrainedModel(runDir, 'best');
  try {
    const test = Object.fromEntries((result.test ?? []).map((t) => [t.task, t.metrics[METRIC] as number]));
    process.stderr.write(`${name}: ${JSON.stringify(test)} in ${seconds.toFixed(0)} s\n`);
    return {
      test,
      best: result.best?.value,
      parameters: model.ranker.parameterCount(),
      modules: model.ranker.pairModules().length,
      grown: model.ranker.pairModules().map((m) => `${TASKS[m.taskA]}~${TASKS[m.taskB]}@${m.block}`),
      secondsPerEpoch: seconds / Math.max(1, completedEpochs),
    };
  } finally {
    model.dispose();
  }
}

interface Row {
  method: string;
  parameters: number;
  test: Record<string, number>;
  deltaM: number;
  secondsPerEpoch: number;
  modules: number;
  grown?: string[];
}

const rowsBySeed: Row[][] = [];
try {
  for (const seed of seeds) {
    const stl: RunOutcome[] = [];
    for (const task of TASKS) {
      stl.push(
        await run(
          `seed${seed}-stl-${task}`,
          configFor(
            seed,
            { id: 'stl', options: { task } },
            { earlyStopping: { metric: METRIC, task, minDelta: 0 } },
          ),
        ),
      );
    }
    const stlTest = Object.fromEntries(TASKS.map((task, k) => [task, stl[k]?.test[task] as number]));
    const baselines = Object.fromEntries(
      TASKS.map((task, k) => [task, { [METRIC]: stl[k]?.best as number }]),
    );
    const dm = (test: Record<string, number>) =>
      deltaM(
        TASKS.map((task) => ({
          task,
          metric: METRIC,
          value: test[task] as number,
          baseline: stlTest[task] as number,
          higherIsBetter: true,
        })),
      );
    const rows: Row[] = [
      {
        method: 'STL (3 models)',
        parameters: stl.reduce((s, r) => s + r.parameters, 0),
        test: stlTest,
        deltaM: 0,
        secondsPerEpoch: stl.reduce((s, r) => s + r.secondsPerEpoch, 0),
        modules: 0,
      },
    ];
    const mtl = {
      evaluation: { metrics: [METRIC], baselines },
      earlyStopping: { metric: 'delta_m', minDelta: 0 },
    };
    const methods: [string, TrainConfigInput['strategy']][] = [
      ['LS', { id: 'ls' }],
      ['MGDA', { id: 'mgda' }],
      ['MAMO', { id: 'mamo', options: { searchEpochs } }],
    ];
    for (const [method, strategy] of methods) {
      const outcome = await run(
        `seed${seed}-${strategy.id}`,
        configFor(seed, strategy, mtl as Partial<TrainConfigInput>),
      );
      rows.push({ method, ...outcome, deltaM: dm(outcome.test) });
    }
    rowsBySeed.push(rows);
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

// Mean over seeds, one line per method.
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const first = rowsBySeed[0] ?? [];
const header = [
  'method',
  'parameters',
  ...TASKS.map((t) => `${t} ${METRIC}`),
  'delta_m %',
  's / epoch',
  'grown modules',
];
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
first.forEach((row, i) => {
  const across = rowsBySeed.map((rows) => rows[i] as Row);
  lines.push(
    `| ${[
      row.method,
      String(Math.round(mean(across.map((r) => r.parameters)))),
      ...TASKS.map((t) => mean(across.map((r) => r.test[t] as number)).toFixed(4)),
      mean(across.map((r) => r.deltaM)).toFixed(2),
      mean(across.map((r) => r.secondsPerEpoch)).toFixed(1),
      mean(across.map((r) => r.modules)).toFixed(1),
    ].join(' | ')} |`,
  );
});
const grownBySeed = rowsBySeed.map(
  (rows, i) => `seed ${seeds[i]}: ${rows.at(-1)?.grown?.join(', ') || 'none'}`,
);
process.stdout.write(
  `MQ2008 Fold1, tasks ${TASKS.join(' / ')}, ${epochs} epochs, seeds ${seeds.join(',')}${args['train-queries'] === undefined ? '' : `, first ${args['train-queries']} training queries`}, MAMO search ${searchEpochs} epoch(s), backend ${backend.name}\n${lines.join('\n')}\nMAMO modules (pair@block): ${grownBySeed.join('; ')}\n`,
);
