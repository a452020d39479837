/** The share of a training step per kernel group, from tf.profile's per-kernel times. */

export interface KernelTime {
  name: string;
  ms: number;
  calls: number;
}

const GROUPS: [group: string, kernels: RegExp][] = [
  ['matmul', /^(BatchMatMul|_FusedMatMul|MatMul)$/],
  ['softmax', /^(Softmax|LogSoftmax|Mtl2rSoftmaxGrad)$/],
  // The native dropout kernel (mask drawn while multiplying, forward and backward).
  ['dropout', /^Mtl2rDropout$/],
  ['reductions', /^(Sum|Mean|Max|Min|Prod|ArgMax|ArgMin|All|Any)$/],
  // Its own row: LayerNorm, attention scales, and the dropout masks where the native kernel is not loaded.
  ['multiply', /^Multiply$/],
  [
    'elementwise',
    /^(Add|AddN|Sub|Mul|RealDiv|Div|Neg|Exp|Log|Sqrt|Rsqrt|Square|SquaredDifference|Relu|Step|Maximum|Minimum|Pow|Cast|Greater|GreaterEqual|Less|LessEqual|Equal|Select|Where|Sign|Abs|Reciprocal|ZerosLike|OnesLike|Fill)$/,
  ],
  [
    'layout',
    /^(Reshape|Transpose|Slice|StridedSlice|Concat|Tile|Pack|Unpack|SplitV|Identity|ExpandDims|Squeeze|BroadcastTo|GatherV2|Pad|PadV2)$/,
  ],
];

export interface GroupShare {
  group: string;
  ms: number;
  share: number;
  kernels: string;
}

/**
 * Sums kernel times by group; `stepMs` (the wall time of the profiled step) adds the time outside kernels
 * (JS: tape bookkeeping, Adam's scheduling, dropout masks without the addon) as its own row.
 */
export function groupKernelTimes(kernels: KernelTime[], stepMs: number): GroupShare[] {
  const byGroup = new Map<string, { ms: number; names: Set<string> }>();
  for (const k of kernels) {
    const group = GROUPS.find(([, pattern]) => pattern.test(k.name))?.[0] ?? 'other';
    const entry = byGroup.get(group) ?? { ms: 0, names: new Set<string>() };
    entry.ms += k.ms;
    if (k.ms > 0.01 * stepMs) entry.names.add(k.name);
    byGroup.set(group, entry);
  }
  const inKernels = kernels.reduce((s, k) => s + k.ms, 0);
  const rows = [...byGroup].map(([group, e]) => ({
    group,
    ms: e.ms,
    share: e.ms / stepMs,
    kernels: [...e.names].join(' '),
  }));
  rows.push({
    group: 'outside kernels',
    ms: Math.max(0, stepMs - inKernels),
    share: Math.max(0, stepMs - inKernels) / stepMs,
    kernels: 'JS: tape, scheduling (+ dropout masks without the addon)',
  });
  return rows.sort((a, b) => b.ms - a.ms);
}
