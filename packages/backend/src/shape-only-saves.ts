import * as tf from '@tensorflow/tfjs-core';

/**
 * Kernels whose registered gradient (tfjs-core 4.22) reads only the `.shape` of the tensors it saves: Add and
 * Sub save both operands to find the broadcast axes, Reshape / ExpandDims / Sum / Mean save their input to
 * put the gradient back in its shape, Concat and AddN save every input for their shapes or count.
 */
export const SHAPE_ONLY_GRADIENT_KERNELS: ReadonlySet<string> = new Set([
  tf.Add,
  tf.Sub,
  tf.Reshape,
  tf.ExpandDims,
  tf.Sum,
  tf.Mean,
  tf.Concat,
  tf.AddN,
]);

interface SavingEngine {
  getTensorsForGradient(kernelName: string, inputs: unknown, outputs: tf.Tensor[]): tf.Tensor[];
  saveTensorsForBackwardMode(tensors: tf.Tensor[]): tf.Tensor[];
}

let stock: SavingEngine | undefined;

/**
 * Stops the gradient tape from keeping tensor data that no gradient reads. tfjs keeps a reference to every
 * input of every Add, Sub, Reshape, Sum, Mean, ... recorded in a forward pass until the backward pass ends,
 * though their gradients only look at shapes: in the ranker's training step that holds about 1.2 GB of
 * activations alive (residual streams, attention logits, reshaped views). Here those kernels save tensors
 * that are disposed at once: the gradient still reads the right `.shape`, the data is freed as soon as the
 * forward pass no longer needs it, and any gradient that did read the data would throw "Tensor is disposed"
 * rather than compute something wrong. Same gradient functions: same numbers. Idempotent.
 */
export function installShapeOnlySaves(): void {
  if (stock !== undefined) return;
  const engine = tf.engine() as unknown as Partial<SavingEngine>;
  if (
    typeof engine.getTensorsForGradient !== 'function' ||
    typeof engine.saveTensorsForBackwardMode !== 'function'
  ) {
    return; // another tfjs-core: keep its own behaviour
  }
  const saving = engine as SavingEngine;
  const original: SavingEngine = {
    getTensorsForGradient: saving.getTensorsForGradient,
    saveTensorsForBackwardMode: saving.saveTensorsForBackwardMode,
  };
  stock = original;
  // The engine calls the two back to back for each kernel it records (engine.js, runKernelFunc).
  let shapeOnly = false;
  saving.getTensorsForGradient = function (this: SavingEngine, kernelName, inputs, outputs) {
    shapeOnly = SHAPE_ONLY_GRADIENT_KERNELS.has(kernelName);
    return original.getTensorsForGradient.call(this, kernelName, inputs, outputs);
  };
  saving.saveTensorsForBackwardMode = function (this: SavingEngine, tensors) {
    const saved = original.saveTensorsForBackwardMode.call(this, tensors);
    if (shapeOnly) tf.dispose(saved);
    shapeOnly = false;
    return saved;
  };
}

/** Restores tfjs's own saving (idempotent). */
export function uninstallShapeOnlySaves(): void {
  if (stock === undefined) return;
  const engine = tf.engine() as unknown as Partial<SavingEngine>;
  delete engine.getTensorsForGradient;
  delete engine.saveTensorsForBackwardMode;
  stock = undefined;
}
