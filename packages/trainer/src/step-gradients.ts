import { perTaskGradients, recordTape, representationGradients } from '@mtl2r/backend';
import {
  type CheckedCombineOutput,
  createCombineInput,
  InternalError,
  type Strategy,
  validateCombineOutput,
} from '@mtl2r/core';
import type { Ranker } from '@mtl2r/encoder';
import type { RankingLoss } from '@mtl2r/losses';
import * as tf from '@tensorflow/tfjs-core';
import { assertFiniteLosses } from './non-finite-error.js';
import { type BatchTensors, taskLossesFromScores, trainingLosses } from './task-losses.js';

/** The model side of a step: the ranker and one loss per task. */
export interface StepModel {
  ranker: Ranker;
  losses: readonly RankingLoss[];
  taskNames: readonly string[];
}

/** One forward pass's worth of a batch. `share` = its lists / the batch's lists; `seed` fixes dropout and tie breaks. */
export interface MicroBatch {
  tensors: BatchTensors;
  share: number;
  seed: number;
}

export interface StepGradients {
  /** The batch's K task losses (list-weighted over micro-batches). */
  losses: Float32Array;
  /** The strategy's K weights. */
  weights: Float32Array;
  diagnostics?: Readonly<Record<string, number>>;
  /** One gradient per `ranker.namedVariables()` entry, in that order; the caller disposes them. */
  gradients: tf.Tensor[];
}

/**
 * Everything a step needs before the optimizer: the K losses, what the strategy's declared needs ask for
 * (nothing, K shared-parameter gradients from one forward, or K gradients at the encoder output), the
 * strategy's weights and the resulting gradient of every model variable. The trainer never looks at which
 * strategy it runs; only `strategy.needs.grads` chooses the path.
 */
export async function computeStepGradients(
  model: StepModel,
  microBatches: readonly MicroBatch[],
  strategy: Strategy,
  at: { step: number; epoch: number },
): Promise<StepGradients> {
  if (microBatches.length === 0)
    throw new InternalError('computeStepGradients needs at least one micro-batch');
  switch (strategy.needs.grads) {
    case 'none':
      return lossWeightedGradients(model, microBatches, strategy, at);
    case 'shared':
      return sharedGradients(model, microBatches, strategy, at);
    case 'representation':
      return representationSpaceGradients(model, microBatches, strategy, at);
  }
}

/** Forward-only losses of a batch in training mode (same dropout masks as the step): FAMO's losses after the update. */
export function batchLosses(model: StepModel, microBatches: readonly MicroBatch[]): Float32Array {
  const total = new Float32Array(model.losses.length);
  for (const micro of microBatches) {
    const values = tf.tidy(() =>
      tf.stack(trainingLosses(model.ranker, model.losses, micro.tensors, micro.seed)).dataSync(),
    );
    values.forEach((v, k) => {
      total[k] = (total[k] as number) + micro.share * v;
    });
  }
  return total;
}

/** needs.grads 'none': one forward, the strategy weighs the loss values, one backward of the weighted sum. */
async function lossWeightedGradients(
  model: StepModel,
  microBatches: readonly MicroBatch[],
  strategy: Strategy,
  at: { step: number; epoch: number },
): Promise<StepGradients> {
  const variables = model.ranker.namedVariables().map((r) => r.variable);
  const record = (micro: MicroBatch) =>
    recordTape(() => trainingLosses(model.ranker, model.losses, micro.tensors, micro.seed));
  const weightedBackward = (tape: ReturnType<typeof record>, weights: Float32Array, share: number) => {
    const seeds = tape.outputs.map((y, k) => ({ y, dy: tf.scalar((weights[k] as number) * share) }));
    try {
      return tape.backward(seeds, variables);
    } finally {
      tf.dispose(seeds.map((s) => s.dy));
    }
  };
  if (microBatches.length === 1) {
    const micro = microBatches[0] as MicroBatch;
    const tape = record(micro);
    try {
      const losses = readScalars(tape.outputs);
      assertFiniteLosses(losses, at.step, model.taskNames);
      const output = validateCombineOutput(strategy, await strategy.combine({ ...at, losses }), {
        taskCount: model.losses.length,
        space: 'none',
      });
      const weights = output.weights;
      return {
        losses,
        weights,
        ...diagnosticsOf(output),
        gradients: weightedBackward(tape, weights, micro.share),
      };
    } finally {
      tape.dispose();
    }
  }
  // Several micro-batches: the strategy needs the whole batch's losses before any backward, so a
  // forward-only pass comes first, then forward + weighted backward per micro-batch (same masks).
  const losses = batchLosses(model, microBatches);
  assertFiniteLosses(losses, at.step, model.taskNames);
  const output = validateCombineOutput(strategy, await strategy.combine({ ...at, losses }), {
    taskCount: model.losses.length,
    space: 'none',
  });
  const weights = output.weights;
  let gradients: tf.Tensor[] | undefined;
  for (const micro of microBatches) {
    const tape = record(micro);
    try {
      gradients = accumulate(gradients, weightedBackward(tape, weights, micro.share));
    } finally {
      tape.dispose();
    }
  }
  return { losses, weights, ...diagnosticsOf(output), gradients: gradients as tf.Tensor[] };
}

/** needs.grads 'shared': K gradients from one recorded forward per micro-batch; G [K, P] over the shared variables. */
async function sharedGradients(
  model: StepModel,
  microBatches: readonly MicroBatch[],
  strategy: Strategy,
  at: { step: number; epoch: number },
): Promise<StepGradients> {
  // A snapshot: a growing strategy may add variables during combine; they join from the next step.
  const records = model.ranker.namedVariables().slice();
  const variables = records.map((r) => r.variable);
  const taskCount = model.losses.length;
  const losses = new Float32Array(taskCount);
  // perTask[k][v]: gradient of task k's batch loss with respect to variable v.
  let perTask: tf.Tensor[][] | undefined;
  try {
    for (const micro of microBatches) {
      const result = perTaskGradients(
        () => trainingLosses(model.ranker, model.losses, micro.tensors, micro.seed),
        variables,
      );
      result.losses.forEach((v, k) => {
        losses[k] = (losses[k] as number) + micro.share * v;
      });
      const scaled = micro.share === 1 ? result.grads : result.grads.map((row) => scaleAll(row, micro.share));
      perTask =
        perTask === undefined ? scaled : perTask.map((row, k) => accumulate(row, scaled[k] as tf.Tensor[]));
    }
    assertFiniteLosses(losses, at.step, model.taskNames);
    const rows = perTask as tf.Tensor[][];
    const sharedIndex = records.flatMap((r, i) => (r.owner === 'shared' ? [i] : []));
    const layout = model.ranker.sharedLayout();
    const grads = tf.tidy(
      () =>
        tf.stack(
          rows.map((row) => tf.concat(sharedIndex.map((i) => tf.reshape(row[i] as tf.Tensor, [-1])))),
        ) as tf.Tensor2D,
    );
    let output: CheckedCombineOutput;
    try {
      output = validateCombineOutput(
        strategy,
        await strategy.combine(createCombineInput({ ...at, losses, grads, layout })),
        { taskCount, space: 'shared', directionSize: layout.size },
      );
    } finally {
      grads.dispose();
    }
    const weights = output.weights;
    const direction = output.direction;
    try {
      const gradients = tf.tidy(() => {
        const directionParts =
          direction === undefined
            ? undefined
            : tf.split(
                direction,
                layout.entries.map((e) => e.size),
              );
        let sharedPosition = 0;
        return records.map((record, i) => {
          if (record.owner === 'shared') {
            const part = directionParts?.[sharedPosition++];
            if (part !== undefined) return tf.reshape(part, record.variable.shape);
            return rows.reduce<tf.Tensor | undefined>((sum, row, k) => {
              const term = tf.mul(row[i] as tf.Tensor, weights[k] as number);
              return sum === undefined ? term : tf.add(sum, term);
            }, undefined) as tf.Tensor;
          }
          // A task's own parameters follow that task's weighted gradient only.
          const task = record.owner.task;
          return tf.mul((rows[task] as tf.Tensor[])[i] as tf.Tensor, weights[task] as number);
        });
      });
      return { losses, weights, ...diagnosticsOf(output), gradients };
    } finally {
      direction?.dispose();
    }
  } finally {
    if (perTask !== undefined) tf.dispose(perTask.flat());
  }
}

/**
 * needs.grads 'representation': the trunk runs once per micro-batch, each task's gradient is taken at the
 * encoder output Z only (through the heads), and one backward through the trunk carries the combined
 * upstream gradient. With several micro-batches the recorded passes cannot all be kept, so pass 2
 * re-runs each forward with the same masks before its backward.
 */
async function representationSpaceGradients(
  model: StepModel,
  microBatches: readonly MicroBatch[],
  strategy: Strategy,
  at: { step: number; epoch: number },
): Promise<StepGradients> {
  const variables = model.ranker.namedVariables().map((r) => r.variable);
  const taskCount = model.losses.length;
  const record = (micro: MicroBatch) =>
    representationGradients(
      () =>
        model.ranker.trunk(micro.tensors.features, micro.tensors.mask, {
          training: true,
          dropoutSeed: micro.seed,
          ...(micro.tensors.preference === undefined ? {} : { preference: micro.tensors.preference }),
        }),
      (z) =>
        taskLossesFromScores(model.ranker.score(z as tf.Tensor3D), micro.tensors, model.losses, micro.seed),
      variables,
    );
  const single = microBatches.length === 1;
  const losses = new Float32Array(taskCount);
  // Per micro-batch: K scaled gradients at Z, and the live recording when it can be reused.
  const atZ: tf.Tensor[][] = [];
  let kept: ReturnType<typeof record> | undefined;
  try {
    for (const micro of microBatches) {
      const recorded = record(micro);
      recorded.losses.forEach((v, k) => {
        losses[k] = (losses[k] as number) + micro.share * v;
      });
      atZ.push(micro.share === 1 ? recorded.reprGrads : scaleAll(recorded.reprGrads, micro.share));
      if (single) kept = recorded;
      else recorded.dispose();
    }
    assertFiniteLosses(losses, at.step, model.taskNames);
    const sizes = atZ.map((row) => (row[0] as tf.Tensor).size);
    const grads = tf.tidy(
      () =>
        tf.concat(
          atZ.map((row) => tf.stack(row.map((g) => tf.reshape(g, [-1])))),
          1,
        ) as tf.Tensor2D,
    );
    let output: CheckedCombineOutput;
    try {
      output = validateCombineOutput(
        strategy,
        await strategy.combine(createCombineInput({ ...at, losses, grads })),
        { taskCount, space: 'representation', directionSize: sizes.reduce((a, b) => a + b, 0) },
      );
    } finally {
      grads.dispose();
    }
    const weights = output.weights;
    const direction = output.direction;
    try {
      let gradients: tf.Tensor[] | undefined;
      let offset = 0;
      for (let m = 0; m < microBatches.length; m++) {
        const micro = microBatches[m] as MicroBatch;
        const row = atZ[m] as tf.Tensor[];
        const shape = (row[0] as tf.Tensor).shape;
        const upstream = tf.tidy(() =>
          direction === undefined
            ? row.reduce<tf.Tensor>(
                (sum, g, k) => tf.add(sum, tf.mul(g, weights[k] as number)),
                tf.zeros(shape),
              )
            : tf.reshape(tf.slice(direction, [offset], [sizes[m] as number]), shape),
        );
        offset += sizes[m] as number;
        const recorded = kept ?? record(micro);
        try {
          const scaledWeights = Array.from(weights, (w) => w * micro.share);
          gradients = accumulate(gradients, recorded.backward(upstream, scaledWeights));
        } finally {
          upstream.dispose();
          if (recorded !== kept) {
            tf.dispose(recorded.reprGrads);
            recorded.dispose();
          }
        }
      }
      return { losses, weights, ...diagnosticsOf(output), gradients: gradients as tf.Tensor[] };
    } finally {
      direction?.dispose();
    }
  } finally {
    kept?.dispose();
    tf.dispose(atZ.flat());
  }
}

function readScalars(values: readonly tf.Tensor[]): Float32Array {
  return Float32Array.from(values, (t) => t.dataSync()[0] as number);
}

/** Adds `next` into `sum` element-wise (disposing both inputs' old tensors), or returns `next` when sum is empty. */
function accumulate(sum: tf.Tensor[] | undefined, next: tf.Tensor[]): tf.Tensor[] {
  if (sum === undefined) return next;
  const out = sum.map((s, i) => tf.add(s, next[i] as tf.Tensor));
  tf.dispose([...sum, ...next]);
  return out;
}

function scaleAll(tensors: readonly tf.Tensor[], factor: number): tf.Tensor[] {
  const out = tensors.map((t) => tf.mul(t, factor));
  tf.dispose([...tensors]);
  return out;
}

function diagnosticsOf(output: CheckedCombineOutput): { diagnostics?: Readonly<Record<string, number>> } {
  return output.diagnostics === undefined ? {} : { diagnostics: output.diagnostics };
}
