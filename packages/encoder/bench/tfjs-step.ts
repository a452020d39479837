/**
 * One configuration of step.bench.ts, in its own process: time training steps of the reference ranker on
 * tfjs, then (optionally) K = 5 per-task gradients, the per-kernel profile and the native GEMM's shapes.
 */
import {
  installWasmKernels,
  nativeGemm,
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
import { type GemmShape, recordGemmShapes } from './gemm-rates.js';
import type { KernelTime } from './kernel-groups.js';
import type { PerTaskRow } from './report.js';

export const B = 64;
export const L = 240;
export const F = 132;
export const K = 5;

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

export async function benchTfjs(
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
  // High-water mark of the training steps (before the per-task runs, which keep K gradient sets).
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  // The wasm heap never shrinks: its size is the high-water mark of the live tensors (plus fragmentation).
  const heap = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.buffer.byteLength;
  const wasmHeapMb = heap === undefined ? undefined : heap / 2 ** 20;
  const gemm = nativeGemm();
  const gemmShapes: GemmShape[] | undefined =
    options.native === true && gemm !== undefined ? recordGemmShapes(gemm, trainStep) : undefined;
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
  let profile: KernelTime[] | undefined;
  let profileStepMs = 0;
  if (options.profile === true) {
    const profileStart = performance.now();
    const info = await tf.profile(trainStep);
    profileStepMs = performance.now() - profileStart;
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
  return {
    stepSeconds,
    cpuSeconds,
    peakRssMb,
    wasmHeapMb,
    leaked: options.warmUp === false ? 0 : leaked,
    perTask,
    profile,
    profileStepMs,
    gemmShapes,
    native: nativeGemmNote(),
  };
}
