/**
 * Whole training step of LS and of every strategy plugin found that takes per-task gradients
 * (discover-strategies.ts; MGDA also in representation space) on the reference model (createRanker with
 * F 132 and the DeepMTL2R defaults: d 128, 4 blocks, 4 heads, FFN 512, dropout 0.3; 810,497 parameters),
 * K listNet tasks, on the wasm backend, for K = 3 and 5 side by side. A step is what the trainer's takeStep
 * does: `computeStepGradients` (forward, the per-task gradients the strategy's needs ask for, combine, the
 * combined backward), the global gradient norm, Adam, afterUpdate. The batch is synthetic, B lists x L
 * items (list lengths L/2..L, the rest padded); the default is the reference shape B 64 x L 240.
 *
 * Run: pnpm bench:step (in bench/). K (a list: 3,5), B, L, STEPS, WARMUP, ROUNDS override the defaults;
 * ONLY (a list of labels, e.g. ls,epo) restricts the methods.
 */
import { nativeGemmNote, selectBackend } from '@mtl2r/backend';
import { type CombineInput, createStrategy, declaredGradientSpaces, Rng, type Strategy } from '@mtl2r/core';
import { createRanker, type Ranker } from '@mtl2r/encoder';
import { createLoss } from '@mtl2r/losses';
import {
  type BatchTensors,
  computeStepGradients,
  disposeBatchTensors,
  type MicroBatch,
  Optimizer,
  type StepModel,
} from '@mtl2r/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { benchPreference, type DiscoveredStrategy, discoverStrategies } from './discover-strategies.js';
import { envInt, formatMs, formatTable, loadNote, median, timeMs } from './timing.js';

export interface StepBenchOptions {
  /** Task counts measured one after the other (default K = 3, 5). */
  taskCounts?: number[];
  batchSize?: number;
  slateLength?: number;
  steps?: number;
  warmup?: number;
  rounds?: number;
}

const FEATURES = 132;

/** MGDA's representation space is the cheap variant of the same method: measured beside the default. */
const VARIANTS = { mgda: [{ note: 'representation', options: { gradientSpace: 'representation' } }] };

/**
 * LS (the baseline the ratios refer to) and every method that takes per-task gradients (any family: a
 * weighting such as ExcessMTL pays for them too), optionally only the labels in ONLY.
 */
async function stepMethods(): Promise<{ methods: DiscoveredStrategy[]; failures: string[] }> {
  const { strategies, failures } = await discoverStrategies(VARIANTS);
  const only = process.env.ONLY?.split(',').map((label) => label.trim());
  const methods = strategies.filter(
    ({ label, plugin }) =>
      (plugin.id === 'ls' || declaredGradientSpaces(plugin).some((space) => space !== 'none')) &&
      (only === undefined || only.includes(label)),
  );
  const ls = methods.findIndex(({ label }) => label === 'ls');
  if (ls < 0) throw new Error('the step bench needs the ls plugin as its baseline (@mtl2r/strategy-ls)');
  methods.unshift(...methods.splice(ls, 1));
  return { methods, failures };
}

/** A comma-separated list of positive integers from the environment, or the default. */
function envInts(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return [...fallback];
  const values = raw.split(',').map(Number);
  if (!values.every((value) => Number.isInteger(value) && value > 0))
    throw new Error(`${name} must be a comma-separated list of positive integers, got '${raw}'`);
  return values;
}

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
  // A method that wants the losses after the update gets this step's (the re-evaluating forward is not timed).
  run.strategy.afterUpdate?.({
    ...at,
    lossesBefore: result.losses,
    ...(run.strategy.needs.lossesAfterUpdate === true ? { lossesAfter: result.losses } : {}),
  });
  run.step++;
  return { totalMs: performance.now() - started, combineMs: run.spent.combineMs, updateMs };
}

export async function runStepBench(options: StepBenchOptions = {}): Promise<void> {
  const taskCounts = options.taskCounts ?? envInts('K', [3, 5]);
  const batchSize = options.batchSize ?? envInt('B', 64);
  const slateLength = options.slateLength ?? envInt('L', 240);
  const steps = options.steps ?? envInt('STEPS', 2);
  const warmup = options.warmup ?? envInt('WARMUP', 1);
  const rounds = options.rounds ?? envInt('ROUNDS', 1);
  const backend = await selectBackend({ backend: 'wasm' });
  const { methods, failures } = await stepMethods();
  const summary = new Map<string, Map<number, { ms: number; ratio: number }>>();
  for (const taskCount of taskCounts) {
    const ratios = await measureTaskCount(
      methods,
      taskCount,
      { batchSize, slateLength, steps, warmup, rounds },
      backend.name,
    );
    for (const [label, cell] of ratios) {
      const row = summary.get(label) ?? new Map<number, { ms: number; ratio: number }>();
      summary.set(label, row.set(taskCount, cell));
    }
  }
  console.log(`\n## whole training step relative to LS, side by side (B ${batchSize} x L ${slateLength})`);
  const header = ['method', ...taskCounts.flatMap((k) => [`K=${k} ms`, `K=${k} vs ls`])];
  const rows = methods.map(({ label }) => [
    label,
    ...taskCounts.flatMap((k) => {
      const cell = summary.get(label)?.get(k);
      return cell === undefined ? ['-', '-'] : [formatMs(cell.ms), `${cell.ratio.toFixed(2)}x`];
    }),
  ]);
  console.log(formatTable(header, rows));
  if (failures.length > 0) console.log(`not measured (failed to load): ${failures.join('; ')}`);
}

interface Shape {
  batchSize: number;
  slateLength: number;
  steps: number;
  warmup: number;
  rounds: number;
}

/** One table for one K: every method on the same batch and the same initial model. */
async function measureTaskCount(
  methods: readonly DiscoveredStrategy[],
  taskCount: number,
  shape: Shape,
  backendName: string,
): Promise<Map<string, { ms: number; ratio: number }>> {
  const { batchSize, slateLength, steps, warmup, rounds } = shape;
  const taskNames = Array.from({ length: taskCount }, (_, k) => `task${k}`);
  const tensors = syntheticBatch(batchSize, slateLength, taskCount, 5);

  const runs: MethodRun[] = methods.map(({ label, plugin, options: pluginOptions }) => {
    // Same seed for every method: the same initial model, so only the strategy differs.
    const ranker = createRanker({ featureCount: FEATURES, taskCount }, 1);
    const spent = { combineMs: 0 };
    const strategy = createStrategy(plugin, {
      taskNames,
      options: pluginOptions,
      preference: benchPreference(plugin, taskCount),
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
    `\n## whole training step: median ms per step, K = ${taskCount} listNet tasks, batch B ${batchSize} x L ${slateLength}`,
  );
  console.log(
    `backend ${backendName} (GEMM: ${nativeGemmNote()}); reference model d 128 x 4 blocks, F ${FEATURES}, ${parameters.toLocaleString('en')} parameters; Adam, no clipping`,
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
  const result = new Map<string, { ms: number; ratio: number }>();
  const rows = runs.map((run) => {
    const total = median(run.total);
    result.set(run.label, { ms: total, ratio: total / ls });
    return [
      run.label,
      run.strategy.needs.grads,
      formatMs(total),
      `${(total / ls).toFixed(2)}x`,
      formatMs(median(run.combine)),
      formatMs(median(run.update)),
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
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) await runStepBench();
