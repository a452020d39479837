/**
 * GFLOP/s of the native GEMM on the exact products of one training step, per kernel, against the machine's
 * sgemm peak. `recordGemmShapes` wraps the addon's gemm while a step runs; `timeGemmShapes` then replays each
 * distinct shape on fresh buffers.
 */
import type { NativeGemm, NativeKernelChoice } from '@mtl2r/backend';

export interface GemmShape {
  m: number;
  n: number;
  k: number;
  /** Products per call (batched attention: lists x heads). */
  batch: number;
  transposeA: boolean;
  transposeB: boolean;
  /** Calls of this shape in one step. */
  calls: number;
}

export interface GemmRate extends GemmShape {
  /** kernel -> GFLOP/s (wall clock) */
  gflops: Record<string, number>;
  /** kernel -> GFLOP per CPU-second over all threads: what one core delivers, robust to time-slicing. */
  perCpu: Record<string, number>;
}

const key = (s: Omit<GemmShape, 'calls'>) =>
  `${s.m}x${s.n}x${s.k}x${s.batch}${s.transposeA ? 'T' : ''}${s.transposeB ? 'T' : ''}`;

/** Runs `fn` with the addon's gemm wrapped; returns the distinct shapes it computed, most work first. */
export function recordGemmShapes(gemm: NativeGemm, fn: () => void): GemmShape[] {
  const shapes = new Map<string, GemmShape>();
  const original = gemm.gemm;
  gemm.gemm = (heap, transposeA, transposeB, m, n, k, aOffsets, bOffsets, cOffsets) => {
    const shape = { m, n, k, batch: aOffsets.length, transposeA, transposeB };
    const seen = shapes.get(key(shape));
    if (seen === undefined) shapes.set(key(shape), { ...shape, calls: 1 });
    else seen.calls++;
    original.call(gemm, heap, transposeA, transposeB, m, n, k, aOffsets, bOffsets, cOffsets);
  };
  try {
    fn();
  } finally {
    gemm.gemm = original;
  }
  return [...shapes.values()].sort((a, b) => flops(b) * b.calls - flops(a) * a.calls);
}

export const flops = (s: Omit<GemmShape, 'calls'>) => 2 * s.m * s.n * s.k * s.batch;

/**
 * Best-of-`repeats` GFLOP/s of one shape with the current kernel (operands in one buffer, like the wasm
 * heap), by wall clock and per CPU-second.
 */
export function timeShape(
  gemm: NativeGemm,
  s: Omit<GemmShape, 'calls'>,
  repeats = 5,
): { wall: number; perCpu: number } {
  const aSize = s.m * s.k;
  const bSize = s.k * s.n;
  const cSize = s.m * s.n;
  const heap = new Float32Array(s.batch * (aSize + bSize + cSize));
  for (let i = 0; i < heap.length; i++) heap[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
  const at = (region: number, size: number) =>
    Uint32Array.from({ length: s.batch }, (_, i) => (region + i * size) * 4);
  const a = at(0, aSize);
  const b = at(s.batch * aSize, bSize);
  const c = at(s.batch * (aSize + bSize), cSize);
  const run = () => gemm.gemm(heap.buffer, s.transposeA, s.transposeB, s.m, s.n, s.k, a, b, c);
  run();
  // Enough calls per sample for ~20 ms, so timer resolution and thread start-up do not dominate.
  const start = performance.now();
  run();
  const once = Math.max(performance.now() - start, 0.01);
  const calls = Math.max(1, Math.ceil(20 / once));
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < calls; i++) run();
    const cpu = process.cpuUsage(cpu0);
    best = Math.min(best, (performance.now() - t0) / calls);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000 / calls);
  }
  return { wall: flops(s) / (best / 1000) / 1e9, perCpu: flops(s) / (Math.max(bestCpu, 1e-3) / 1000) / 1e9 };
}

/** Each shape's GFLOP/s with each kernel this build has (the kernel is restored afterwards). */
export function timeGemmShapes(
  gemm: NativeGemm,
  shapes: GemmShape[],
  kernels: NativeKernelChoice[],
): GemmRate[] {
  const restore = gemm.info().kernel;
  const rates = shapes.map((s) => ({
    ...s,
    gflops: {} as Record<string, number>,
    perCpu: {} as Record<string, number>,
  }));
  for (const kernel of kernels) {
    if (!gemm.setKernel(kernel)) continue;
    for (const r of rates) {
      const { wall, perCpu } = timeShape(gemm, r);
      r.gflops[kernel] = wall;
      r.perCpu[kernel] = perCpu;
    }
  }
  gemm.setKernel(restore);
  return rates;
}

/** The machine's sgemm peak as seen by each kernel: a 2048^3 product on all threads. */
export function sgemmPeak(gemm: NativeGemm, kernels: NativeKernelChoice[]): GemmRate | undefined {
  const square = { m: 2048, n: 2048, k: 2048, batch: 1, transposeA: false, transposeB: false, calls: 1 };
  return timeGemmShapes(gemm, [square], kernels)[0];
}
