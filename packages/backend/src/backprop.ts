import * as tf from '@tensorflow/tfjs-core';

/** One recorded op, as tfjs-core's engine keeps it on its gradient tape (internal, tfjs 4.22). */
export interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  /** Missing when the kernel has no registered gradient. */
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
  saved?: tf.Tensor[];
}

/** The members of `tf.engine()` the tape needs; all exist in tfjs-core 4.x but are not public API. */
export interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  startTape(): void;
  endTape(): void;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  tidy<T extends tf.TensorContainer>(name: string, f: () => T): T;
}

export function engineInternals(): EngineInternals {
  const engine = tf.engine() as unknown as Partial<EngineInternals>;
  if (
    engine.state == null ||
    typeof engine.startTape !== 'function' ||
    typeof engine.scopedRun !== 'function' ||
    typeof engine.tidy !== 'function'
  ) {
    throw new Error(
      `tfjs-core ${tf.version_core}: engine tape internals not found (recordTape needs tfjs-core 4.x)`,
    );
  }
  return engine as EngineInternals;
}

/** A starting gradient: `dy` (default ones) flows into `y`. */
export interface Seed {
  y: tf.Tensor;
  dy?: tf.Tensor;
}

/**
 * Walks `path` (from `nodesBetween`) backwards from the seeds and returns the gradient of each x (or
 * `undefined` where none reaches it). Same gradient functions and accumulation order as tfjs-core's
 * backprop, so the same numbers; unlike it, each intermediate gradient is freed as soon as its producer has
 * consumed it, so the backward pass's peak memory is about one layer of gradients instead of all of them.
 * With `releaseSaved` (a tape used once) each node's saved forward tensors are freed as soon as its gradient
 * has run, so the activations shrink while the gradients grow. Call inside a tidy: the returned gradients
 * are new tensors (or a caller's seed).
 */
export function backpropagate(
  path: readonly TapeNode[],
  seeds: readonly Seed[],
  xs: readonly tf.Tensor[],
  options: { releaseSaved?: boolean } = {},
): (tf.Tensor | undefined)[] {
  const engine = engineInternals();
  const callerOwned = new Set<tf.Tensor>(seeds.flatMap((s) => (s.dy == null ? [] : [s.dy])));
  const wanted = new Set(xs.map((x) => x.id));
  // Gradient per tensor id, and how many map entries hold each gradient tensor: a grad function may hand
  // back the very tensor it received, so a tensor is freed only when no entry holds it any more.
  const grads = new Map<number, tf.Tensor>();
  const holders = new Map<tf.Tensor, number>();
  const hold = (g: tf.Tensor) => holders.set(g, (holders.get(g) ?? 0) + 1);
  const release = (g: tf.Tensor) => {
    const n = (holders.get(g) ?? 1) - 1;
    if (n > 0) {
      holders.set(g, n);
      return;
    }
    holders.delete(g);
    if (!callerOwned.has(g)) g.dispose();
  };
  const accumulate = (id: number, g: tf.Tensor) => {
    const previous = grads.get(id);
    if (previous == null) {
      hold(g);
      grads.set(id, g);
      return;
    }
    const sum = tf.add(previous, g);
    hold(sum);
    grads.set(id, sum);
    release(previous);
    hold(g);
    release(g);
  };
  for (const { y, dy } of seeds) accumulate(y.id, dy ?? tf.onesLike(y));
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i] as TapeNode;
    const dys = node.outputs.map((o) => grads.get(o.id) ?? null);
    if (dys.every((d) => d == null)) continue;
    if (node.gradient == null)
      throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    const inputGrads = node.gradient(dys);
    for (const [name, input] of Object.entries(node.inputs)) {
      const gradFunc = inputGrads[name];
      if (gradFunc == null) throw new Error(`Cannot backprop through input ${name} of ${node.kernelName}.`);
      const dx = engine.tidy(node.kernelName, gradFunc);
      if (!sameShape(dx.shape, input.shape)) {
        throw new Error(
          `Error in gradient for op ${node.kernelName}. The gradient of input '${name}' has shape '${dx.shape}', which does not match the shape of the input '${input.shape}'`,
        );
      }
      accumulate(input.id, dx);
    }
    if (options.releaseSaved === true) tf.dispose(node.saved ?? []);
    // An output's gradient is complete once its only producer has run: free it unless it was asked for.
    for (const o of node.outputs) {
      const g = grads.get(o.id);
      if (g == null || wanted.has(o.id)) continue;
      grads.delete(o.id);
      release(g);
    }
  }
  return xs.map((x) => grads.get(x.id));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The recorded nodes on a path from any of `xs` to any of `ys`, inputs pruned to those that depend on xs. */
export function nodesBetween(
  nodes: readonly TapeNode[],
  xs: readonly tf.Tensor[],
  ys: readonly tf.Tensor[],
): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const reached = new Set<number>();
  for (const node of nodes) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      reached.add(node.id);
      for (const o of node.outputs) fromX.add(o.id);
    }
  }
  const toY = new Set(ys.map((y) => y.id));
  const leads = new Set<number>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i] as TapeNode;
    if (node.outputs.some((o) => toY.has(o.id))) {
      leads.add(node.id);
      for (const t of Object.values(node.inputs)) toY.add(t.id);
    }
  }
  const path: TapeNode[] = [];
  for (const node of nodes) {
    if (!reached.has(node.id) || !leads.has(node.id)) continue;
    const inputs: Record<string, tf.Tensor> = {};
    for (const [name, t] of Object.entries(node.inputs)) if (fromX.has(t.id)) inputs[name] = t;
    path.push({ ...node, inputs });
  }
  return path;
}
