import type { MetricsSink, Rng, Strategy } from '@mtl2r/core';
import type { SlateBatch } from '@mtl2r/data';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainerProgress } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import { learningRateAt } from './learning-rate.js';
import { splitIntoMicroBatches } from './micro-batches.js';
import { NonFiniteError } from './non-finite-error.js';
import type { Optimizer, ParameterUpdate } from './optimizer.js';
import { batchLosses, computeStepGradients, type MicroBatch, type StepModel } from './step-gradients.js';
import { disposeBatchTensors, toBatchTensors } from './task-losses.js';
import type { EmitEvent } from './training-events.js';

/** What every step of a run shares. */
export interface StepContext {
  config: TrainConfig;
  model: StepModel;
  strategy: Strategy;
  /** The plugin id, for messages about the strategy's own variables. */
  strategyId: string;
  optimizer: Optimizer;
  sink: MetricsSink;
  /** Root of the per-step random streams (dropout, tie breaks). */
  stepRoot: Rng;
  emit: EmitEvent;
}

/**
 * One training step on one batch: micro-batches, gradients through the strategy, the update, the
 * strategy's after-update hook, then the progress counters (epoch loss sums, step) and a 'step' event.
 */
export async function runStep(
  context: StepContext,
  progress: TrainerProgress,
  batch: SlateBatch,
  position: { cursor: number },
  batches: number,
): Promise<void> {
  const { config, model, strategy } = context;
  const stepRng = context.stepRoot.derive(`step:${progress.step}`);
  // Pareto-front learning: the strategy picks the preference every forward pass of this step runs on.
  const preference = strategy.conditioning?.({ step: progress.step, epoch: progress.epoch });
  const microBatches: MicroBatch[] = splitIntoMicroBatches(batch, config.training.microBatchItems).map(
    (micro, m) => ({
      tensors: { ...toBatchTensors(micro), ...(preference === undefined ? {} : { preference }) },
      share: micro.batchSize / batch.batchSize,
      seed: stepRng.derive(`micro:${m}`).seed31(),
    }),
  );
  try {
    const at = { step: progress.step, epoch: progress.epoch };
    const learningRate = learningRateAt(
      config.optimizer,
      progress.step,
      progress.epoch,
      config.training.epochs,
    );
    const lossesBefore = await takeStep(context, microBatches, at, learningRate);
    if (strategy.needs.lossesAfterUpdate === true) {
      strategy.afterUpdate?.({ ...at, lossesBefore, lossesAfter: batchLosses(model, microBatches) });
    } else {
      strategy.afterUpdate?.({ ...at, lossesBefore });
    }
    lossesBefore.forEach((v, k) => {
      progress.epochLossSums[k] = (progress.epochLossSums[k] as number) + v;
    });
    progress.epochSteps++;
    progress.step++;
    context.emit({
      type: 'step',
      step: progress.step,
      epoch: progress.epoch,
      batch: position.cursor + 1,
      batches,
      losses: lossesBefore,
      learningRate,
    });
  } finally {
    for (const micro of microBatches) disposeBatchTensors(micro.tensors);
  }
}

/**
 * One optimizer step: gradients through the strategy, the strategy's own variables, the finite check,
 * clipping, the update. Returns the batch's K losses. Nothing is updated when a gradient is not finite;
 * a strategy variable that the update made non-finite stops training before any checkpoint holds it.
 */
async function takeStep(
  context: StepContext,
  microBatches: readonly MicroBatch[],
  at: { step: number; epoch: number },
  learningRate: number,
): Promise<Float32Array> {
  const { model, strategy, optimizer, config, sink } = context;
  const records = model.ranker.namedVariables().slice();
  const result = await computeStepGradients(model, microBatches, strategy, at);
  const extra: ParameterUpdate[] = [];
  const strategyVariables = strategy.trainableVariables?.() ?? [];
  const ofStrategy = `strategy '${context.strategyId}' variables`;
  try {
    if (strategyVariables.length > 0 && strategy.variableObjective !== undefined) {
      const objective = strategy.variableObjective.bind(strategy);
      const { value, grads } = tf.variableGrads(
        () => tf.tidy(() => objective(tf.tensor1d(result.losses))),
        strategyVariables,
      );
      value.dispose();
      strategyVariables.forEach((variable, i) => {
        const gradient = grads[variable.name];
        if (gradient !== undefined) extra.push({ name: `strategy/${i}`, variable, gradient });
      });
    }
    const norm = squaredNormRoot(result.gradients);
    if (!Number.isFinite(norm)) {
      throw new NonFiniteError(
        'gradient',
        at.step,
        model.taskNames.length === 1 ? model.taskNames[0] : undefined,
        norm,
      );
    }
    const badGradient = firstNonFinite(extra.map((u) => u.gradient));
    if (badGradient !== undefined)
      throw new NonFiniteError('gradient', at.step, undefined, badGradient, ofStrategy);
    const clip = config.optimizer.clipNorm;
    const scale = clip !== undefined && norm > clip ? clip / norm : 1;
    const updates: ParameterUpdate[] = records.map((record, i) => ({
      name: record.name,
      variable: record.variable,
      gradient:
        scale === 1 ? (result.gradients[i] as tf.Tensor) : tf.mul(result.gradients[i] as tf.Tensor, scale),
    }));
    try {
      optimizer.apply([...updates, ...extra], learningRate);
    } finally {
      if (scale !== 1) tf.dispose(updates.map((u) => u.gradient));
    }
    const badValue = firstNonFinite(strategyVariables);
    if (badValue !== undefined) throw new NonFiniteError('update', at.step, undefined, badValue, ofStrategy);
    if ((at.step + 1) % config.training.logEvery === 0 || at.step === 0) {
      const where = { step: at.step + 1, epoch: at.epoch };
      result.losses.forEach((value, k) => {
        sink.write({
          metric: 'loss',
          value,
          ...where,
          split: 'train-step',
          task: model.taskNames[k] as string,
        });
      });
      result.weights.forEach((value, k) => {
        sink.write({ metric: 'weight', value, ...where, task: model.taskNames[k] as string });
      });
      sink.write({ metric: 'grad_norm', value: norm, ...where });
      for (const [metric, value] of Object.entries(result.diagnostics ?? {}))
        sink.write({ metric, value, ...where });
    }
    return result.losses;
  } finally {
    tf.dispose(result.gradients);
    tf.dispose(extra.map((u) => u.gradient));
  }
}

/** sqrt(sum of squares) over tensors: NaN or Infinity when any entry is not finite. */
function squaredNormRoot(tensors: readonly tf.Tensor[]): number {
  return tf.tidy(() => tf.sqrt(tf.addN(tensors.map((g) => tf.sum(tf.square(g))))).dataSync()[0] as number);
}

/** The first NaN or infinite entry of small tensors (a strategy's K-sized variables), if any. */
function firstNonFinite(tensors: readonly tf.Tensor[]): number | undefined {
  for (const tensor of tensors) {
    for (const value of tensor.dataSync()) if (!Number.isFinite(value)) return value;
  }
  return undefined;
}
