/**
 * One training step (forward, backward, Adam) of the reference ranker on tfjs wasm and cpu, side by side with
 * the same model in PyTorch (bench/step_pytorch.py), plus the cost of K = 5 per-task gradients of all shared
 * parameters relative to one gradient (ours: one forward + 5 backward over a retained tape; PyTorch: one
 * forward + 5 backward with retain_graph).
 *
 *   pnpm bench                      full run (~15 minutes on an idle machine; stock-kernel and cpu rows: 1 step)
 *   pnpm bench --steps 3 --quick    fewer steps, skips the stock-wasm, cpu and MQ2008 epoch rows
 *   pnpm bench --quick --epoch      the same with the MQ2008 epoch rows
 *   pnpm bench --profile            also prints the per-kernel time of one wasm step
 *
 * Rows: the default install (native addon: OpenBLAS when it was on the machine at install, else our
 * blocked sgemm), the portable kernel alone (MTL2R_NATIVE_KERNEL=portable), the wasm fallback
 * (MTL2R_NATIVE_GEMM=0), stock tfjs wasm, tfjs cpu, PyTorch. Also: peak RSS of the training steps, the
 * share of the step per kernel group, GFLOP/s of the native GEMM on the step's products vs the sgemm peak,
 * an MQ2008 epoch (bucketed, default install) against PyTorch on allRank's padded layout, and the issue's
 * goal table.
 *
 * Shapes: B 64 lists x L 240 items, F 132, d 128, 4 blocks, 4 heads, d_ff 512, dropout 0.3, Adam lr 1e-3,
 * all items valid (mask still applied). Loss: masked ListNet (softmax cross-entropy) per task, identical in
 * both scripts, so the work per step is the same.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadNativeAddon, type NativeKernelChoice, nativeGemmInfo, nativeGemmNote } from '@mtl2r/backend';
import { sgemmPeak, timeGemmShapes } from './gemm-rates.js';
import { groupKernelTimes } from './kernel-groups.js';
import { childExecArgv, mq2008Epoch, runPytorch } from './peers.js';
import {
  type Goal,
  num,
  type PerTaskRow,
  printGemmRates,
  printGoals,
  printGroups,
  printPerTask,
  printSteps,
  type Row,
} from './report.js';
import { B, benchTfjs, F, K, L } from './tfjs-step.js';

const DOCS = B * L;

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const steps = option('steps', 5);
const quick = flag('quick');
/** The MQ2008 epoch rows: in a full run, or with --epoch. */
const epochRows = !quick || flag('epoch');

type TfjsResult = Awaited<ReturnType<typeof benchTfjs>>;
type Config = 'native' | 'portable' | 'openblas' | 'xnnpack' | 'stock' | 'cpu';

/** One configuration, in this process (child mode): prints its result as the last stdout line. */
async function child(config: Config): Promise<void> {
  const result =
    config === 'cpu'
      ? await benchTfjs('cpu', 1, { warmUp: false }) // ~2 minutes a step: one step, nothing to warm up
      : config === 'stock'
        ? await benchTfjs('wasm', 1, { stock: true })
        : await benchTfjs('wasm', steps, {
            native: config !== 'xnnpack',
            // The quick run keeps the per-task rows and the profile to the default install.
            perTask: !quick || config === 'native',
            profile: flag('profile') || config === 'native',
          });
  console.log(JSON.stringify(result));
}

/**
 * Each configuration runs in a fresh process: the wasm heap never shrinks (4 GiB at most), so configurations
 * sharing one process would run out of heap. `env` picks the kernel the way a user would.
 */
function inChild(config: Config, env: Record<string, string> = {}): { result?: TfjsResult; note?: string } {
  const script = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, [...childExecArgv(), script, '--child', config, ...argv], {
    encoding: 'utf8',
    timeout: 3_600_000,
    maxBuffer: 1 << 26,
    env: { ...process.env, ...env },
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

const ratio = (ours: number | undefined, theirs: number | undefined) =>
  ours === undefined || theirs === undefined ? undefined : theirs / ours;
const times = (x: number | undefined) => (x === undefined ? '-' : `${num(x, 2)}x`);

async function main() {
  const rows: Row[] = [];
  const perTaskRows: PerTaskRow[] = [];
  const notes: string[] = [];
  const info = nativeGemmInfo();
  console.log(nativeGemmNote());
  console.log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')} on ${cpus().length} cores`,
  );
  console.log(
    `benchmark: one training step, B ${B} x L ${L}, F ${F}, d 128, 4 blocks, 4 heads, d_ff 512, dropout 0.3, Adam`,
  );
  const torch = runPytorch(steps, epochRows);
  if (torch.note !== undefined) notes.push(torch.note);

  const configs: { config: Config; name: string; env?: Record<string, string> }[] = [
    ...(info === undefined
      ? []
      : [
          {
            config: 'native' as const,
            name: `default install (${info.kernel === 'openblas' ? 'OpenBLAS' : `mtl2r sgemm ${info.isa}`})`,
          },
        ]),
    // The kernel the default install does not run, when this build has both.
    ...(info?.openblas === true && info.kernel === 'openblas'
      ? [
          {
            config: 'portable' as const,
            name: `portable kernel (mtl2r sgemm ${info.isa})`,
            env: { MTL2R_NATIVE_KERNEL: 'portable' },
          },
        ]
      : []),
    ...(info?.openblas === true && info.kernel === 'portable'
      ? [
          {
            config: 'openblas' as const,
            name: 'OpenBLAS kernel (static)',
            env: { MTL2R_NATIVE_KERNEL: 'openblas' },
          },
        ]
      : []),
    { config: 'xnnpack', name: 'wasm fallback (XNNPACK, no addon)', env: { MTL2R_NATIVE_GEMM: '0' } },
    ...(quick
      ? []
      : [
          {
            config: 'stock' as const,
            name: 'tfjs wasm (stock tfjs kernels)',
            env: { MTL2R_NATIVE_GEMM: '0' },
          },
          { config: 'cpu' as const, name: 'tfjs cpu' },
        ]),
  ];
  const results = new Map<Config, TfjsResult>();
  for (const { config, name, env } of configs) {
    const { result, note } = inChild(config, env);
    if (note !== undefined) notes.push(note);
    if (result === undefined) continue;
    results.set(config, result);
    const n = config === 'cpu' || config === 'stock' ? 1 : steps;
    rows.push({
      name,
      stepSeconds: result.stepSeconds,
      cpuSeconds: result.cpuSeconds,
      steps: n,
      peakRssMb: result.peakRssMb,
    });
    if (result.perTask !== undefined) perTaskRows.push({ ...result.perTask, name: `${name}, retained tape` });
    if (result.wasmHeapMb !== undefined) {
      notes.push(
        `${name}: peak RSS ${Math.round(result.peakRssMb)} MB, of which the wasm heap ${Math.round(result.wasmHeapMb)} MB`,
      );
    }
    if (result.leaked !== 0) notes.push(`${name}: tensor count changed by ${result.leaked} over ${n} steps`);
  }
  if (info === undefined) notes.push(`native: ${nativeGemmNote()}`);
  if (torch.row !== undefined) rows.push(torch.row);
  if (torch.perTask !== undefined) perTaskRows.push(torch.perTask);
  const epoch: { seconds?: number; note?: string } = epochRows ? await mq2008Epoch() : {};
  if (epoch.note !== undefined) notes.push(epoch.note);

  printSteps(rows, DOCS, torch.row);
  printPerTask(perTaskRows, K);
  for (const config of ['native', 'portable', 'openblas', 'xnnpack'] as const) {
    const r = results.get(config);
    if (r?.profile !== undefined && r.profileStepMs > 0) {
      const name = configs.find((c) => c.config === config)?.name ?? config;
      printGroups(
        `${name} (tf.profile, ${num(r.profileStepMs / 1000, 2)} s)`,
        groupKernelTimes(r.profile, r.profileStepMs),
      );
    }
  }
  const shapes = results.get('native')?.gemmShapes;
  const addon = loadNativeAddon().gemm;
  if (shapes !== undefined && addon !== undefined) {
    const kernels: NativeKernelChoice[] = addon.info().openblas ? ['openblas', 'portable'] : ['portable'];
    printGemmRates(timeGemmShapes(addon, shapes.slice(0, 14), kernels), sgemmPeak(addon, kernels), kernels);
  }

  const pt = torch.row;
  const native = results.get('native');
  const portable = results.get('portable') ?? (info?.kernel === 'portable' ? native : undefined);
  const ptK = torch.perTask?.perTaskSeconds;
  const goals: Goal[] = [
    {
      figure: 'single step, what `npm start` gives a new user (vs PyTorch)',
      value: times(ratio(native?.stepSeconds, pt?.stepSeconds)),
      goal: '>= 1.5x',
      met: (ratio(native?.stepSeconds, pt?.stepSeconds) ?? 0) >= 1.5,
    },
    {
      figure: '  same, CPU-seconds per step (fair under load)',
      value: times(ratio(native?.cpuSeconds, pt?.cpuSeconds)),
      goal: '',
      met: undefined,
    },
    {
      figure: 'single step, portable kernel (no OpenBLAS)',
      value: times(ratio(portable?.stepSeconds, pt?.stepSeconds)),
      goal: '>= 1.0x',
      met: (ratio(portable?.stepSeconds, pt?.stepSeconds) ?? 0) >= 1.0,
    },
    {
      figure: 'K = 5 per-task step vs PyTorch K = 5 (default install)',
      value: times(ratio(native?.perTask?.perTaskSeconds, ptK)),
      goal: '>= 1.8x',
      met: (ratio(native?.perTask?.perTaskSeconds, ptK) ?? 0) >= 1.8,
    },
    {
      figure: 'peak RSS of the reference step (default install / PyTorch)',
      value: `${Math.round(native?.peakRssMb ?? 0)} / ${Math.round(pt?.peakRssMb ?? 0)} MB`,
      goal: "<= PyTorch's",
      met: native !== undefined && pt?.peakRssMb !== undefined ? native.peakRssMb <= pt.peakRssMb : undefined,
    },
    {
      figure: 'MQ2008 epoch, bucketed (default install) vs PyTorch padded to 240',
      value:
        epoch.seconds === undefined || torch.epochSeconds === undefined
          ? '-'
          : `${num(epoch.seconds, 1)} s vs ${num(torch.epochSeconds, 1)} s = ${num(torch.epochSeconds / epoch.seconds, 1)}x`,
      goal: 'keep (15x)',
      met: undefined,
    },
  ];
  printGoals(goals);
  console.log(
    `\nload average at end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')} on ${cpus().length} cores`,
  );
  for (const note of notes) console.log(`note: ${note}`);
}

const childConfig = argv.indexOf('--child');
if (childConfig >= 0) await child(argv[childConfig + 1] as Config);
else await main();
