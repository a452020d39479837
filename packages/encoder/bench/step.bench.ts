/**
 * One training step (forward, backward, Adam) of the reference ranker on tfjs wasm and cpu, side by side with
 * the same model in PyTorch (bench/step_pytorch.py), plus the cost of K = 5 per-task gradients of all shared
 * parameters relative to one gradient (ours: one forward + 5 backward over a retained tape; PyTorch: one
 * forward + 5 backward with retain_graph).
 *
 *   pnpm bench                      full run (~10 minutes on an idle machine; stock-kernel and cpu rows: 1 step)
 *   pnpm bench --steps 3 --quick    fewer steps, skips the stock-wasm and cpu rows
 *   pnpm bench --profile            also prints the per-kernel time of one wasm step
 *
 * Shapes: B 64 lists x L 240 items, F 132, d 128, 4 blocks, 4 heads, d_ff 512, dropout 0.3, Adam lr 1e-3,
 * all items valid (mask still applied). Loss: masked ListNet (softmax cross-entropy) per task, identical in
 * both scripts, so the work per step is the same.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  installWasmKernels,
  nativeGemmNote,
  perTaskGradients,
  representationGradients,
  selectBackend,
  uninstallWasmKernels,
  useNativeGemm,
} from '@mtl2r/backend';
import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { createRanker, type Ranker } from '../src/index.js';

const B = 64;
const L = 240;
const F = 132;
const K = 5;
const DOCS = B * L;

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const steps = option('steps', 5);
const quick = flag('quick');

interface Row {
  name: string;
  stepSeconds: number;
  /** Process CPU time per step (all threads): comparable even when other work shares the machine. */
  cpuSeconds: number;
  steps: number;
}
interface PerTaskRow {
  name: string;
  oneGradSeconds: number;
  perTaskSeconds: number;
  /** K gradients at the representation + one trunk VJP of their combination (MGDA-UB style). */
  representationSeconds?: number;
}

function makeBatch(rng: Rng) {
  const features = tf.tensor3d(
    Float32Array.from({ length: B * L * F }, () => rng.normal()),
    [B, L, F],
  );
  const mask = tf.ones([B, L], 'bool') as tf.Tensor2D;
  const labels = Array.from({ length: K }, () =>
    tf.tensor2d(
      Float32Array.from({ length: B * L }, () => rng.int(5)),
      [B, L],
    ),
  );
  return { features, mask, labels };
}

/** Masked ListNet: cross-entropy between softmax(labels) and softmax(scores) over each list's valid items. */
function listNet(scores: tf.Tensor2D, labels: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const bias = tf.mul(tf.sub(1, tf.cast(mask, 'float32')), -1e9);
    const target = tf.softmax(tf.add(labels, bias));
    const logProbabilities = tf.logSoftmax(tf.add(scores, bias));
    return tf.neg(tf.mean(tf.sum(tf.mul(target, logProbabilities), -1))) as tf.Scalar;
  });
}

function timeIt(n: number, fn: () => void): number {
  return measure(n, fn).wall;
}

function measure(n: number, fn: () => void): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) fn();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - start) / 1000 / n, cpu: (used.user + used.system) / 1e6 / n };
}

async function benchTfjs(
  backend: 'wasm' | 'cpu',
  n: number,
  options: { stock?: boolean; native?: boolean; warmUp?: boolean; perTask?: boolean; profile?: boolean },
) {
  await selectBackend({ backend });
  if (options.stock === true) uninstallWasmKernels();
  useNativeGemm(options.native ?? false);
  const ranker: Ranker = createRanker({ featureCount: F, taskCount: K }, 1);
  const { features, mask, labels } = makeBatch(new Rng('bench-data'));
  const optimizer = tf.train.adam(1e-3);
  const variables = ranker.variables();
  const scores = (training: boolean) =>
    tf.reshape(ranker.apply(features, mask, { training }), [B, L]) as tf.Tensor2D;
  const trainStep = () => {
    const cost = optimizer.minimize(
      () => listNet(scores(true), labels[0] as tf.Tensor2D, mask),
      true,
      variables,
    );
    cost?.dataSync();
    cost?.dispose();
  };
  if (options.warmUp !== false) trainStep(); // kernel setup, Adam slots
  const before = tf.memory().numTensors;
  const { wall: stepSeconds, cpu: cpuSeconds } = measure(n, trainStep);
  const leaked = tf.memory().numTensors - before;
  let perTask: PerTaskRow | undefined;
  if (options.perTask === true) {
    const shared = ranker.sharedVariables();
    const oneGrad = () => {
      const { value, grads } = tf.variableGrads(
        () => listNet(scores(true), labels[0] as tf.Tensor2D, mask),
        shared,
      );
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    };
    const kGrads = () => {
      const result = perTaskGradients(() => {
        const s = scores(true);
        return labels.map((y) => listNet(s, y as tf.Tensor2D, mask));
      }, shared);
      tf.dispose(result.grads.flat());
    };
    const representation = () => {
      const r = representationGradients(
        () => ranker.trunk(features, mask, { training: true }),
        (z) => {
          const s = tf.reshape(ranker.score(z as tf.Tensor3D), [B, L]) as tf.Tensor2D;
          return labels.map((y) => listNet(s, y as tf.Tensor2D, mask));
        },
        shared,
      );
      const upstream = tf.tidy(() => tf.addN(r.reprGrads.map((g) => tf.div(g, K))));
      const grads = r.backward(upstream, new Array<number>(K).fill(1 / K));
      tf.dispose([upstream, ...grads, ...r.reprGrads]);
      r.dispose();
    };
    oneGrad();
    kGrads();
    representation();
    perTask = {
      name: `tfjs ${backend}`,
      oneGradSeconds: timeIt(n, oneGrad),
      perTaskSeconds: timeIt(n, kGrads),
      representationSeconds: timeIt(n, representation),
    };
  }
  let profile: { name: string; ms: number; calls: number }[] | undefined;
  if (options.profile === true) {
    const info = await tf.profile(trainStep);
    const byName = new Map<string, { ms: number; calls: number }>();
    for (const k of info.kernels) {
      const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      e.calls++;
      byName.set(k.name, e);
    }
    profile = [...byName].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
  }
  optimizer.dispose();
  ranker.dispose();
  tf.dispose([features, mask, ...labels]);
  if (options.stock === true) installWasmKernels();
  useNativeGemm(true);
  return { stepSeconds, cpuSeconds, leaked: options.warmUp === false ? 0 : leaked, perTask, profile };
}

function runPytorch(n: number): { row?: Row; perTask?: PerTaskRow; note?: string } {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'step_pytorch.py');
  const run = spawnSync(process.env.PYTHON ?? '/usr/bin/python3', [script, '--steps', String(n), '--json'], {
    encoding: 'utf8',
    timeout: 1_800_000,
  });
  const line = run.stdout?.trim().split('\n').pop();
  if (run.status !== 0 || line === undefined || !line.startsWith('{')) {
    return {
      note: `PyTorch not run: ${(run.stderr || run.error?.message || 'no output').trim().split('\n').pop()}`,
    };
  }
  const r = JSON.parse(line) as {
    step_seconds: number;
    step_cpu_seconds: number;
    one_grad_seconds: number;
    per_task_seconds: number;
    torch: string;
    threads: number;
  };
  return {
    row: {
      name: `PyTorch ${r.torch} (${r.threads} threads)`,
      stepSeconds: r.step_seconds,
      cpuSeconds: r.step_cpu_seconds,
      steps: n,
    },
    perTask: {
      name: `PyTorch ${r.torch}`,
      oneGradSeconds: r.one_grad_seconds,
      perTaskSeconds: r.per_task_seconds,
    },
  };
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number, digits = 3) => x.toFixed(digits);

type TfjsResult = Awaited<ReturnType<typeof benchTfjs>>;
type Config = 'native' | 'xnnpack' | 'stock' | 'cpu';

/** One configuration, in this process (child mode): prints its result as the last stdout line. */
async function child(config: Config): Promise<void> {
  const result =
    config === 'cpu'
      ? await benchTfjs('cpu', 1, { warmUp: false }) // ~2 minutes a step: one step, nothing to warm up
      : config === 'stock'
        ? await benchTfjs('wasm', 1, { stock: true })
        : await benchTfjs('wasm', steps, {
            native: config === 'native',
            perTask: true,
            profile: flag('profile'),
          });
  console.log(JSON.stringify(result));
}

/**
 * Each configuration runs in a fresh process: the wasm heap never shrinks (4 GiB at most), so configurations
 * sharing one process would run out of heap.
 */
function inChild(config: Config): { result?: TfjsResult; note?: string } {
  const script = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, [...process.execArgv, script, '--child', config, ...argv], {
    encoding: 'utf8',
    timeout: 3_600_000,
    maxBuffer: 1 << 26,
  });
  const line = run.stdout?.trim().split('\n').pop();
  if (run.status !== 0 || line === undefined || !line.startsWith('{')) {
    // Skip the minified Emscripten source line that precedes a wasm abort; keep the error itself.
    const lines = (run.stderr ?? '').split('\n').filter((l) => l.length < 300);
    const why =
      lines.find((l) => /^(\w*Error|Aborted)/.test(l.trim())) ?? run.error?.message ?? `exit ${run.status}`;
    return { note: `${config}: failed (${why.trim().slice(0, 160)})` };
  }
  return { result: JSON.parse(line) as TfjsResult };
}

async function main() {
  const rows: Row[] = [];
  const perTaskRows: PerTaskRow[] = [];
  const notes: string[] = [];
  const native = useNativeGemm(true);
  console.log(`native sgemm: ${nativeGemmNote()}`);
  console.log(
    `benchmark: one training step, B ${B} x L ${L}, F ${F}, d 128, 4 blocks, 4 heads, d_ff 512, dropout 0.3, Adam`,
  );

  const torch = runPytorch(steps);
  if (torch.note !== undefined) notes.push(torch.note);

  const configs: { config: Config; name: string }[] = [
    ...(native ? [{ config: 'native' as const, name: 'tfjs wasm + native sgemm' }] : []),
    { config: 'xnnpack', name: 'tfjs wasm (mtl2r kernels, XNNPACK)' },
    ...(quick
      ? []
      : [
          { config: 'stock' as const, name: 'tfjs wasm (stock tfjs kernels)' },
          { config: 'cpu' as const, name: 'tfjs cpu' },
        ]),
  ];
  let profile: TfjsResult['profile'];
  for (const { config, name } of configs) {
    const { result, note } = inChild(config);
    if (note !== undefined) notes.push(note);
    if (result === undefined) continue;
    const n = config === 'cpu' || config === 'stock' ? 1 : steps;
    rows.push({ name, stepSeconds: result.stepSeconds, cpuSeconds: result.cpuSeconds, steps: n });
    if (result.perTask !== undefined) perTaskRows.push({ ...result.perTask, name: `${name}, retained tape` });
    if (result.leaked !== 0) notes.push(`${name}: tensor count changed by ${result.leaked} over ${n} steps`);
    profile ??= result.profile;
  }
  if (!native) notes.push(`native sgemm: ${nativeGemmNote()}`);
  if (torch.row !== undefined) rows.push(torch.row);
  if (torch.perTask !== undefined) perTaskRows.push(torch.perTask);

  const reference = torch.row?.stepSeconds;
  console.log('\nTraining step');
  const referenceCpu = torch.row?.cpuSeconds;
  console.log(
    `${pad('backend', 38)}${pad('steps', 7)}${pad('s/step', 9)}${pad('steps/s', 9)}${pad('docs/s', 9)}${pad('vs PyTorch', 12)}${pad('CPU-s/step', 12)}CPU vs PyTorch`,
  );
  for (const r of rows) {
    const ratio = reference === undefined ? '-' : `${num(reference / r.stepSeconds, 2)}x`;
    const cpuRatio = referenceCpu === undefined ? '-' : `${num(referenceCpu / r.cpuSeconds, 2)}x`;
    console.log(
      `${pad(r.name, 38)}${pad(String(r.steps), 7)}${pad(num(r.stepSeconds, 2), 9)}${pad(num(1 / r.stepSeconds), 9)}${pad(String(Math.round(DOCS / r.stepSeconds)), 9)}${pad(ratio, 12)}${pad(num(r.cpuSeconds, 2), 12)}${cpuRatio}`,
    );
  }
  console.log(
    '(ratios > 1 mean faster than PyTorch; CPU-s counts all threads, so it is fair when other work shares the machine)',
  );
  console.log(
    `\nK = ${K} per-task gradients of all shared parameters (1 forward + ${K} backward) vs one gradient (1 forward + 1 backward)`,
  );
  console.log(
    `${pad('implementation', 48)}${pad('1 grad s', 10)}${pad(`K=${K} s`, 10)}${pad('cost ratio', 12)}representation space (K at z + 1 trunk VJP)`,
  );
  for (const r of perTaskRows) {
    const repr =
      r.representationSeconds === undefined
        ? '-'
        : `${num(r.representationSeconds, 2)} s = ${num(r.representationSeconds / r.oneGradSeconds, 2)}x`;
    console.log(
      `${pad(r.name, 48)}${pad(num(r.oneGradSeconds, 2), 10)}${pad(num(r.perTaskSeconds, 2), 10)}${pad(`${num(r.perTaskSeconds / r.oneGradSeconds, 2)}x`, 12)}${repr}`,
    );
  }
  if (profile !== undefined) {
    const total = profile.reduce((s, p) => s + p.ms, 0);
    console.log(
      `\nPer-kernel time of one training step, ${configs[0]?.name} (tf.profile, ${num(total / 1000, 2)} s in kernels)`,
    );
    for (const p of profile.slice(0, 20)) {
      console.log(
        `${pad(p.name, 24)}${pad(`${num(p.ms, 0)} ms`, 11)}${pad(`${num((100 * p.ms) / total, 1)}%`, 8)}${p.calls} calls`,
      );
    }
  }
  for (const note of notes) console.log(`note: ${note}`);
}

const childConfig = argv.indexOf('--child');
if (childConfig >= 0) await child(argv[childConfig + 1] as Config);
else await main();
