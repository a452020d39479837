/**
 * Whole training step of LS, MGDA (shared and representation space) and PCGrad on the reference model
 * (createRanker with F 132 and the DeepMTL2R defaults: d 128, 4 blocks, 4 heads, FFN 512, dropout 0.3;
 * 810,497 parameters), K listNet tasks, on the wasm backend. A step is what the trainer's takeStep does:
 * `computeStepGradients` (forward, the per-task gradients the strategy's needs ask for, combine, the
 * combined backward), the global gradient norm, Adam, afterUpdate. The batch is synthetic and reduced
 * (default B 16 lists x L 64 items) so each method runs in well under a minute on a loaded 2-core machine.
 *
 * Run: pnpm bench:step (in bench/). K, B, L, STEPS, WARMUP, ROUNDS override the defaults.
 */
import { nativeGemmNote, selectBackend } from '@mtl2r/backend';
import { type CombineInput, createStrategy, Rng, type Strategy, type StrategyPlugin } from '@mtl2r/core';
import { createRanker, type Ranker } from '@mtl2r/encoder';
import { createLoss } from '@mtl2r/losses';
import ls from '@mtl2r/strategy-ls';
import mgda from '@mtl2r/strategy-mgda';
import pcgrad from '@mtl2r/strategy-pcgrad';
import {
  type BatchTensors,
  computeStepGradients,
  disposeBatchTensors,
  type MicroBatch,
  Optimizer,
  type StepModel,
} from '@mtl2r/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { envInt, formatMs, formatTable, loadNote, median, timeMs } from './timing.js';

export interface StepBenchOptions {
  taskCount?: number;
  batchSize?: number;
  slateLength?: number;
  steps?: number;
  warmup?: number;
  rounds?: number;
}

const FEATURES = 132;

const METHODS: readonly {
  label: string;
  plugin: StrategyPlugin<unknown>;
  options: Record<string, unknown>;
}[] = [
  { label: 'ls', plugin: ls as StrategyPlugin<unknown>, options: {} },
  { label: 'mgda (shared)', plugin: mgda as StrategyPlugin<unknown>, options: { gradientSpace: 'shared' } },
  {
    label: 'mgda (representation)',
    plugin: mgda as StrategyPlugin<unknown>,
    options: { gradientSpace: 'representation' },
  },
  { label: 'pcgrad', plugin: pcgrad as StrategyPlugin<unknown>, options: {} },
];

/** Lists of random length in [L/2, L] (the rest padded), random features, graded labels 0..4 per task. */
function syntheticBatch(
  batchSize: number,
  slateLength: number,
  taskCount: number,
  seed: number,
): BatchTensors {
  const rng = new Rng(seed).derive('batch');
  const items = batchSize * slateLength;
  const features = new Float32Array(items * FEATURES);
  for (let i = 0; i < features.length; i++) features[i] = rng.normal();
  const mask = new Float32Array(items);
  for (let b = 0; b < batchSize; b++) {
    const length = Math.ceil(slateLength / 2) + rng.int(Math.floor(slateLength / 2) + 1);
    for (let i = 0; i < Math.min(length, slateLength); i++) mask[b * slateLength + i] = 1;
  }
  const labels = Array.from({ length: taskCount }, () => {
    const values = new Float32Array(items);
    for (let i = 0; i < items; i++) values[i] = mask[i] === 1 ? rng.int(5) : 0;
    return tf.tensor2d(values, [batchSize, slateLength]);
  });
  return {
    features: tf.tensor3d(features, [batchSize, slateLength, FEATURES]),
    mask: tf.tensor2d(mask, [batchSize, slateLength]),
    labels,
    lists: batchSize,
  };
}

/** Delegates to `inner` and adds up the time spent in combine, so the step can be split into its parts. */
function timedStrategy(inner: Strategy, spent: { combineMs: number }): Strategy {
  return {
    get needs() {
      return inner.needs;
    },
    async combine(input: CombineInput) {
      const started = performance.now();
      try {
        return await inner.combine(input);
      } finally {
        spent.combineMs += performance.now() - started;
      }
    },
    afterUpdate: (input) => inner.afterUpdate?.(input),
    state: () => inner.state(),
    loadState: (state) => inner.loadState(state),
    dispose: () => inner.dispose(),
  };
}

interface MethodRun {
  label: string;
  ranker: Ranker;
  model: StepModel;
  strategy: Strategy;
  optimizer: Optimizer;
  spent: { combineMs: number };
  step: number;
  total: number[];
  combine: number[];
  update: number[];
  rest: number[];
}

/** The trainer's takeStep for a strategy without its own variables and without clipping. */
async function takeStep(
  run: MethodRun,
  tensors: BatchTensors,
): Promise<{ totalMs: number; combineMs: number; updateMs: number }> {
  const micro: MicroBatch = { tensors, share: 1, seed: 1000 + run.step };
  const at = { step: run.step, epoch: 0 };
  const records = run.model.ranker.namedVariables();
  run.spent.combineMs = 0;
  const started = performance.now();
  const result = await computeStepGradients(run.model, [micro], run.strategy, at);
  let updateMs = 0;
  try {
    updateMs = await timeMs(() => {
      // The trainer reads the global norm every step (finite check, clipping): part of its cost.
      const norm = tf.tidy(
        () => tf.sqrt(tf.addN(result.gradients.map((g) => tf.sum(tf.square(g))))).dataSync()[0] as number,
      );
      if (!Number.isFinite(norm)) throw new Error(`${run.label}: gradient norm ${norm} at step ${run.step}`);
      run.optimizer.apply(
        records.map((record, i) => ({
          name: record.name,
          variable: record.variable,
          gradient: result.gradients[i] as tf.Tensor,
        })),
        1e-4,
      );
    });
  } finally {
    tf.dispose(result.gradients);
  }
  run.strategy.afterUpdate?.({ ...at, lossesBefore: result.losses });
  run.step++;
  return { totalMs: performance.now() - started, combineMs: run.spent.combineMs, updateMs };
}

export async function runStepBench(options: StepBenchOptions = {}): Promise<void> {
  const taskCount = options.taskCount ?? envInt('K', 3);
  const batchSize = options.batchSize ?? envInt('B', 16);
  const slateLength = options.slateLength ?? envInt('L', 64);
  const steps = options.steps ?? envInt('STEPS', 4);
  const warmup = options.warmup ?? envInt('WARMUP', 2);
  const rounds = options.rounds ?? envInt('ROUNDS', 4);
  const backend = await selectBackend({ backend: 'wasm' });
  const taskNames = Array.from({ length: taskCount }, (_, k) => `task${k}`);
  const tensors = syntheticBatch(batchSize, slateLength, taskCount, 5);

  const runs: MethodRun[] = METHODS.map(({ label, plugin, options: pluginOptions }) => {
    // Same seed for every method: the same initial model, so only the strategy differs.
    const ranker = createRanker({ featureCount: FEATURES, taskCount }, 1);
    const spent = { combineMs: 0 };
    const strategy = createStrategy(plugin, {
      taskNames,
      options: pluginOptions,
      preference:
        plugin.needs.preference === true ? new Array<number>(taskCount).fill(1 / taskCount) : undefined,
      rng: new Rng(1).derive('strategy'),
    });
    return {
      label,
      ranker,
      model: { ranker, losses: taskNames.map(() => createLoss('listNet')), taskNames },
      strategy: timedStrategy(strategy, spent),
      optimizer: new Optimizer({
        name: 'adam',
        learningRate: 1e-4,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
        momentum: 0,
        schedule: { kind: 'constant', warmupSteps: 0, stepEpochs: 10, gamma: 0.1, minLearningRate: 0 },
      }),
      spent,
      step: 0,
      total: [],
      combine: [],
      update: [],
      rest: [],
    };
  });
  const parameters = (runs[0] as MethodRun).ranker.parameterCount();
  console.log(
    `\n## whole training step: median ms per step, K = ${taskCount} listNet tasks, reduced batch B ${batchSize} x L ${slateLength}`,
  );
  console.log(
    `backend ${backend.name} (GEMM: ${nativeGemmNote()}); reference model d 128 x 4 blocks, F ${FEATURES}, ${parameters.toLocaleString('en')} parameters; Adam, no clipping`,
  );
  console.log(
    `${warmup} warm-up + ${steps} timed steps per method per round, ${rounds} rounds interleaved (order rotated); ${loadNote()}`,
  );

  // Methods interleaved by round, so a change in machine load hits all of them alike, and the order rotated
  // each round, so no method always runs right after the same other one.
  for (let round = 0; round < rounds; round++) {
    for (let position = 0; position < runs.length; position++) {
      const run = runs[(position + round) % runs.length] as MethodRun;
      const first = run.total.length === 0 ? warmup : 0;
      for (let i = 0; i < first + steps; i++) {
        const { totalMs, combineMs, updateMs } = await takeStep(run, tensors);
        if (i < first) continue;
        run.total.push(totalMs);
        run.combine.push(combineMs);
        run.update.push(updateMs);
        run.rest.push(totalMs - combineMs - updateMs);
      }
    }
  }

  const ls = median((runs[0] as MethodRun).total);
  const header = ['method', 'grads', 'ms/step', 'vs ls', 'combine ms', 'optimizer ms', 'rest (fwd/bwd) ms'];
  const rows = runs.map((run) => {
    const total = median(run.total);
    const combine = median(run.combine);
    const update = median(run.update);
    return [
      run.label,
      run.strategy.needs.grads,
      formatMs(total),
      `${(total / ls).toFixed(2)}x`,
      formatMs(combine),
      formatMs(update),
      formatMs(median(run.rest)),
    ];
  });
  console.log(formatTable(header, rows));
  console.log(`load after: ${loadNote()}`);

  for (const run of runs) {
    run.strategy.dispose();
    run.optimizer.dispose();
    run.ranker.dispose();
  }
  disposeBatchTensors(tensors);
}

if (import.meta.url === `file://${process.argv[1]}`) await runStepBench();
