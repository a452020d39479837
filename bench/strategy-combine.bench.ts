/**
 * Per-step cost of every strategy plugin found (discover-strategies.ts) for K = 2..5 tasks, with synthetic [K, P]
 * task gradients at the reference model's shared-parameter count (P = 810,497: createRanker with F 132 and
 * the DeepMTL2R defaults), on the wasm backend. One "step" is what the trainer asks of a strategy besides
 * the model's own work: combine, an update of the strategy's own variables (uw), afterUpdate, and
 * onEpochEnd at epoch boundaries (as packages/strategy-testkit's simulated trainer drives it).
 * Also prints the Gram matmul G G^T alone (what every gradient method pays at least once per step).
 *
 * Run: pnpm bench:combine (in bench/). STEPS, WARMUP, ROUNDS override the defaults.
 */
import os from 'node:os';
import { nativeGemm, nativeGemmNote, selectBackend, useNativeGemm } from '@mtl2r/backend';
import { createCombineInput, createStrategy, type ParameterLayout, Rng, type Strategy } from '@mtl2r/core';
import { createRanker } from '@mtl2r/encoder';
import { gramMatrix } from '@mtl2r/solvers';
import * as tf from '@tensorflow/tfjs-core';
import { benchPreference, discoverStrategies } from './discover-strategies.js';
import { envInt, formatMs, formatTable, loadNote, median, timeMs } from './timing.js';

export interface CombineBenchOptions {
  steps?: number;
  warmup?: number;
  /** Independent repetitions of the whole table; the printed value is the median over all timed steps. */
  rounds?: number;
}

const TASK_COUNTS = [2, 3, 4, 5] as const;
const STEPS_PER_EPOCH = 5;

// Found, not listed (see discover-strategies.ts): every strategy plugin in the workspace or installed here.
const VARIANTS = {
  mgda: [
    { note: 'l2', options: { normalization: 'l2' } },
    { note: 'compat deepmtl2r', options: { compat: 'deepmtl2r' } },
  ],
  cagrad: [{ note: 'compat deepmtl2r', options: { compat: 'deepmtl2r' } }],
  log_cagrad: [{ note: 'compat deepmtl2r', options: { compat: 'deepmtl2r' } }],
};

/** The reference model's shared-parameter layout (P = its size), read from the encoder rather than hard-coded. */
function referenceLayout(): ParameterLayout {
  const ranker = createRanker({ featureCount: 132, taskCount: 1 }, 1);
  try {
    return ranker.sharedLayout();
  } finally {
    ranker.dispose();
  }
}

/**
 * Correlated task gradients with conflicts (alternating signs on a common part, as the testkit's synthetic
 * inputs): PCGrad projects and MGDA's solver iterates instead of stopping at a vertex.
 */
function syntheticGradients(taskCount: number, size: number, seed: number): tf.Tensor2D {
  const rng = new Rng(seed).derive('grads');
  const common = new Float32Array(size);
  for (let p = 0; p < size; p++) common[p] = rng.normal();
  const values = new Float32Array(taskCount * size);
  for (let k = 0; k < taskCount; k++) {
    const share = k % 2 === 0 ? 0.5 : -0.3;
    const noise = 1 + k / 2;
    for (let p = 0; p < size; p++)
      values[k * size + p] = share * (common[p] as number) + noise * rng.normal();
  }
  return tf.tensor2d(values, [taskCount, size]);
}

function syntheticLosses(taskCount: number, step: number, seed: number): Float32Array {
  const rng = new Rng(seed).derive(`losses/${step}`);
  return Float32Array.from({ length: taskCount }, () => (0.2 + 1.5 * rng.float()) * 0.99 ** step);
}

/** One SGD step on the strategy's own variables by the gradient of its variableObjective (the trainer's job). */
function updateStrategyVariables(strategy: Strategy, losses: Float32Array): void {
  const variables = strategy.trainableVariables?.() ?? [];
  if (variables.length === 0 || strategy.variableObjective === undefined) return;
  const objective = strategy.variableObjective.bind(strategy);
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => objective(tf.tensor1d(losses)), variables);
    value.dispose();
    for (const variable of variables) {
      const grad = grads[variable.name];
      if (grad !== undefined) variable.assign(tf.sub(variable, tf.mul(grad, 0.01)));
    }
  });
}

/** Everything the trainer asks of the strategy in one step, given this step's losses and G. */
async function strategyStep(
  strategy: Strategy,
  step: number,
  losses: Float32Array,
  grads: tf.Tensor2D | undefined,
  layout: ParameterLayout,
): Promise<void> {
  const epoch = Math.floor(step / STEPS_PER_EPOCH);
  // Built as the trainer builds it: the Gram matrix computed once, on first read, inside combine.
  const input = createCombineInput({
    step,
    epoch,
    losses,
    ...(grads === undefined ? {} : { grads, layout }),
  });
  const output = await strategy.combine(input);
  output.direction?.dispose(); // the trainer owns a returned direction
  updateStrategyVariables(strategy, losses);
  if (strategy.needs.lossesAfterUpdate === true) {
    strategy.afterUpdate?.({ step, epoch, lossesBefore: losses, lossesAfter: losses.map((l) => l * 0.97) });
  } else {
    strategy.afterUpdate?.({ step, epoch, lossesBefore: losses });
  }
  if ((step + 1) % STEPS_PER_EPOCH === 0)
    strategy.onEpochEnd?.({ epoch, trainLosses: losses.map((l) => l * 1.01) });
}

/**
 * The Gram matrix under the other GEMM settings, for reference: the native OpenBLAS GEMM pinned to one
 * thread, and XNNPACK (native GEMM off). Run after the main table and restored, so it changes nothing above.
 */
async function gramVariants(
  grads: Map<number, tf.Tensor2D>,
  warmup: number,
  timed: number,
): Promise<Map<string, Map<number, number[]>>> {
  const variants = new Map<string, Map<number, number[]>>();
  const measure = async (label: string) => {
    const byK = new Map<number, number[]>();
    for (const [k, g] of grads) {
      const cell: number[] = [];
      for (let i = 0; i < warmup + timed; i++) {
        const ms = await timeMs(() => gramMatrix(g));
        if (i >= warmup) cell.push(ms);
      }
      byK.set(k, cell);
    }
    variants.set(label, byK);
  };
  const native = nativeGemm();
  if (native !== undefined) {
    native.setThreads(1);
    try {
      await measure('  Gram, OpenBLAS 1 thread');
    } finally {
      // OpenBLAS's own default: OPENBLAS_NUM_THREADS, else one thread per core.
      native.setThreads(Number(process.env.OPENBLAS_NUM_THREADS ?? os.cpus().length));
    }
    useNativeGemm(false);
    try {
      await measure('  Gram, XNNPACK (no native)');
    } finally {
      useNativeGemm(true);
    }
  }
  return variants;
}

export async function runCombineBench(options: CombineBenchOptions = {}): Promise<void> {
  const steps = options.steps ?? envInt('STEPS', 30);
  const warmup = options.warmup ?? envInt('WARMUP', 5);
  const rounds = options.rounds ?? envInt('ROUNDS', 3);
  const backend = await selectBackend({ backend: 'wasm' });
  const layout = referenceLayout();
  const size = layout.size;
  const { strategies, failures } = await discoverStrategies(VARIANTS);
  console.log(
    `\n## strategy combine: median ms per step, P = ${size.toLocaleString('en')} (reference model, F 132)`,
  );
  console.log(
    `backend ${backend.name} (GEMM: ${nativeGemmNote()}); ${warmup} warm-up + ${steps} timed steps x ${rounds} rounds per cell; ${loadNote()}`,
  );

  const grads = new Map<number, tf.Tensor2D>(TASK_COUNTS.map((k) => [k, syntheticGradients(k, size, 7)]));
  // times[label][K] collects per-step times over all rounds.
  const times = new Map<string, Map<number, number[]>>();
  const gramTimes = new Map<number, number[]>(TASK_COUNTS.map((k) => [k, []]));
  const leaks: string[] = [];
  const spaces = new Map<string, string>();
  const record = (label: string, k: number, ms: number) => {
    const row = times.get(label) ?? new Map<number, number[]>();
    times.set(label, row);
    const cell = row.get(k) ?? [];
    row.set(k, cell);
    cell.push(ms);
  };

  for (let round = 0; round < rounds; round++) {
    for (const k of TASK_COUNTS) {
      const g = grads.get(k) as tf.Tensor2D;
      // The Gram matrix alone: one [K, P] x [P, K] matMul on the backend and the K*K read-back.
      for (let i = 0; i < warmup + steps; i++) {
        const ms = await timeMs(() => gramMatrix(g));
        if (i >= warmup) (gramTimes.get(k) as number[]).push(ms);
      }
      for (const { label, plugin, options: pluginOptions } of strategies) {
        const strategy = createStrategy(plugin, {
          taskNames: Array.from({ length: k }, (_, i) => `task${i}`),
          options: pluginOptions,
          preference: benchPreference(plugin, k),
          rng: new Rng(11).derive('strategy'),
        });
        spaces.set(label, strategy.needs.grads);
        const withGrads = strategy.needs.grads === 'none' ? undefined : g;
        const before = tf.memory().numTensors;
        for (let step = 0; step < warmup + steps; step++) {
          const losses = syntheticLosses(k, step, 13);
          const ms = await timeMs(() => strategyStep(strategy, step, losses, withGrads, layout));
          if (step >= warmup) record(label, k, ms);
        }
        const leaked = tf.memory().numTensors - before;
        if (leaked !== 0 && round === 0)
          leaks.push(`${label} K=${k}: ${leaked} tensors over ${warmup + steps} steps`);
        strategy.dispose();
      }
    }
  }
  const variants = await gramVariants(grads, warmup, steps * rounds);
  for (const g of grads.values()) g.dispose();

  const header = ['plugin', 'family', 'grads', ...TASK_COUNTS.map((k) => `K=${k}`)];
  const rows = strategies.map(({ label, plugin }) => [
    label,
    plugin.family,
    spaces.get(label) ?? '-',
    ...TASK_COUNTS.map((k) => formatMs(median(times.get(label)?.get(k) ?? []))),
  ]);
  rows.push([
    'Gram G G^T alone',
    '',
    'shared',
    ...TASK_COUNTS.map((k) => formatMs(median(gramTimes.get(k) ?? []))),
  ]);
  for (const [label, byK] of variants)
    rows.push([label, '', 'shared', ...TASK_COUNTS.map((k) => formatMs(median(byK.get(k) ?? [])))]);
  console.log(formatTable(header, rows));
  console.log(
    `${strategies.length} rows from ${new Set(strategies.map((p) => p.packageName)).size} strategy packages`,
  );
  if (failures.length > 0) console.log(`not measured (failed to load): ${failures.join('; ')}`);
  console.log(leaks.length === 0 ? 'no tensor leaks' : `tensor leaks: ${leaks.join('; ')}`);
}

// Run directly (not when imported by run.ts).
if (import.meta.url === `file://${process.argv[1]}`) await runCombineBench();
