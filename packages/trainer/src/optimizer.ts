import { UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from './config.js';

/** A variable to update, its stable name (slot key in checkpoints) and its gradient for this step. */
export interface ParameterUpdate {
  name: string;
  variable: tf.Variable;
  gradient: tf.Tensor;
}

/** Optimizer slots as plain arrays: what a checkpoint stores. */
export interface OptimizerState {
  name: OptimizerConfig['name'];
  /** Updates taken so far (Adam's bias correction needs it). */
  updates: number;
  slots: { key: string; shape: number[]; values: Float32Array }[];
}

/**
 * Adam, AdamW and SGD with momentum, written out so their state (moments keyed by the variables' stable
 * names) can be saved and restored exactly; tfjs's optimizers key state by per-process variable names.
 */
export class Optimizer {
  private readonly slots = new Map<string, tf.Variable>();
  private updates = 0;

  constructor(readonly config: OptimizerConfig) {}

  get updateCount(): number {
    return this.updates;
  }

  /** One update of every listed variable with its gradient, at `learningRate`. Gradients are not disposed. */
  apply(parameters: readonly ParameterUpdate[], learningRate: number): void {
    this.updates++;
    const { name, beta1, beta2, epsilon, momentum } = this.config;
    const decay = this.config.weightDecay ?? (name === 'adamw' ? 0.01 : 0);
    const t = this.updates;
    tf.tidy(() => {
      for (const { name: key, variable, gradient } of parameters) {
        let g = gradient;
        if (decay > 0 && name !== 'adamw') g = tf.add(g, tf.mul(variable, decay));
        if (name === 'sgd') {
          if (momentum > 0) {
            const buffer = this.slot(`${key}/momentum`, variable);
            buffer.assign(tf.add(tf.mul(buffer, momentum), g));
            g = buffer;
          }
          variable.assign(tf.sub(variable, tf.mul(g, learningRate)));
          continue;
        }
        const m = this.slot(`${key}/m`, variable);
        const v = this.slot(`${key}/v`, variable);
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const stepSize = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        const epsilonHat = epsilon * Math.sqrt(1 - beta2 ** t);
        let next = tf.sub(variable, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilonHat)), stepSize));
        if (name === 'adamw' && decay > 0) next = tf.sub(next, tf.mul(variable, learningRate * decay));
        variable.assign(next);
      }
    });
  }

  state(): OptimizerState {
    return {
      name: this.config.name,
      updates: this.updates,
      slots: [...this.slots.entries()].map(([key, slot]) => ({
        key,
        shape: [...slot.shape],
        values: slot.dataSync() as Float32Array,
      })),
    };
  }

  /** Restores slots saved by `state()`; refuses another optimizer's state or shapes that do not match. */
  loadState(state: OptimizerState, source = 'optimizer state'): void {
    if (state.name !== this.config.name) {
      throw new UserError(
        `${source}: saved by optimizer '${state.name}', but the config uses '${this.config.name}'`,
      );
    }
    this.disposeSlots();
    for (const slot of state.slots) {
      const size = slot.shape.reduce((a, b) => a * b, 1);
      if (slot.values.length !== size) {
        throw new UserError(
          `${source}: slot ${slot.key} has ${slot.values.length} values for shape [${slot.shape.join(', ')}]`,
        );
      }
      this.slots.set(slot.key, tf.variable(tf.tensor(slot.values, slot.shape, 'float32'), false));
    }
    this.updates = state.updates;
  }

  dispose(): void {
    this.disposeSlots();
  }

  private disposeSlots(): void {
    for (const slot of this.slots.values()) slot.dispose();
    this.slots.clear();
  }

  private slot(key: string, like: tf.Variable): tf.Variable {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = tf.variable(tf.zerosLike(like), false);
      this.slots.set(key, slot);
    } else if (!sameShape(slot.shape, like.shape)) {
      throw new UserError(
        `optimizer slot ${key} has shape [${slot.shape.join(', ')}], but the variable is [${like.shape.join(', ')}]`,
      );
    }
    return slot;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
