import * as tf from '@tensorflow/tfjs-core';
import { backpropagate, engineInternals, nodesBetween, type Seed, type TapeNode } from './backprop.js';

export type { Seed } from './backprop.js';

/**
 * A forward pass recorded once and kept (tfjs's equivalent of PyTorch's `retain_graph=True`): `backward`
 * can run any number of times, from any recorded tensor, with any upstream gradient, to any inputs. tfjs
 * itself frees the tape after one `tf.grads`, so K per-task gradients would cost K forward passes.
 * Call `dispose()` to release the recorded outputs and the tensors the ops saved for their gradients.
 */
export class RetainedTape<T extends tf.Tensor[]> {
  private disposed = false;

  constructor(
    /** What `forward` returned; owned by the tape. */
    readonly outputs: T,
    private readonly nodes: TapeNode[],
    private readonly ownsSaved: boolean,
  ) {}

  /**
   * Gradients of sum_i <seeds[i].y, seeds[i].dy> with respect to each of `xs` (zeros for an x no seed
   * depends on). The returned tensors belong to the caller.
   */
  backward(seeds: readonly Seed[], xs: readonly tf.Tensor[]): tf.Tensor[] {
    if (this.disposed) throw new Error('RetainedTape.backward after dispose');
    const engine = engineInternals();
    const path = nodesBetween(
      this.nodes,
      xs,
      seeds.map((s) => s.y),
    );
    return engine.tidy('backward', () =>
      backpropagate(path, seeds, xs).map((g, i) => g ?? tf.zerosLike(xs[i] as tf.Tensor)),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose(this.outputs);
    if (this.ownsSaved) for (const node of this.nodes) tf.dispose(node.saved ?? []);
  }
}

/**
 * Runs `forward` once with the gradient tape on and keeps the tape. Tensors created inside are released
 * except the returned ones and what ops saved for their gradients (both freed by `dispose`).
 */
export function recordTape<T extends tf.Tensor[]>(forward: () => T): RetainedTape<T> {
  const engine = engineInternals();
  const outer = engine.state.gradientDepth > 0;
  const start = outer ? (engine.state.activeTape?.length ?? 0) : 0;
  let nodes: TapeNode[] = [];
  const outputs = engine.scopedRun(
    () => engine.startTape(),
    () => {
      nodes = (engine.state.activeTape ?? []).slice(start);
      engine.endTape();
    },
    () => engine.tidy('forward', forward),
  );
  // Inside an outer tf.grad the tape belongs to it; otherwise take it over so tfjs does not reuse it.
  if (!outer) engine.state.activeTape = null;
  return new RetainedTape(outputs, nodes, !outer);
}
