import { type ParameterEntry, type ParameterLayout, type Rng, UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { linearBiasUniform, xavierUniform } from './init.js';
import type { LinearParameters } from './linear.js';

/** Who a parameter belongs to: the shared encoder, or one task (its head and fusion weights). */
export type ParameterOwner = 'shared' | { task: number };

export interface NamedVariable {
  /** Stable name, e.g. `blocks.0.attn.q.weight`; the tfjs variable name carries a per-instance prefix. */
  name: string;
  variable: tf.Variable;
  /** -1 input projection, 0..N-1 encoder blocks and their pair modules, N final norm, N+1 heads. */
  block: number;
  owner: ParameterOwner;
}

export interface NormParameters {
  gamma: tf.Variable;
  beta: tf.Variable;
}

let instanceCounter = 0;

/**
 * The ranker's variables by stable name: creation (each initialised from its own stream keyed by its name,
 * so adding a variable never shifts another's values), the flattened shared layout, and assignment by
 * name. Forward passes and growth only ask it for variables.
 */
export class VariableStore {
  private readonly records: NamedVariable[] = [];
  private readonly namePrefix = `ranker${++instanceCounter}/`;
  private disposed = false;

  constructor(private readonly initRng: Rng) {}

  /** A fully connected layer [fanIn -> fanOut]: Xavier-uniform weight, PyTorch's default bias init. */
  linear(
    name: string,
    block: number,
    owner: ParameterOwner,
    fanIn: number,
    fanOut: number,
  ): LinearParameters {
    const weightName = `${name}.weight`;
    const biasName = `${name}.bias`;
    return {
      weight: this.create(weightName, block, owner, [fanIn, fanOut], () =>
        xavierUniform(this.initRng.derive(weightName), fanIn, fanOut),
      ),
      bias: this.create(biasName, block, owner, [fanOut], () =>
        linearBiasUniform(this.initRng.derive(biasName), fanIn, fanOut),
      ),
    };
  }

  /** A LayerNorm's gain (ones) and shift (zeros), shared. */
  norm(name: string, block: number, width: number): NormParameters {
    return {
      gamma: this.create(`${name}.gamma`, block, 'shared', [width], () => new Float32Array(width).fill(1)),
      beta: this.create(`${name}.beta`, block, 'shared', [width], () => new Float32Array(width)),
    };
  }

  /** A Xavier-uniform matrix without bias. */
  matrix(name: string, block: number, owner: ParameterOwner, fanIn: number, fanOut: number): tf.Variable {
    return this.create(name, block, owner, [fanIn, fanOut], () =>
      xavierUniform(this.initRng.derive(name), fanIn, fanOut),
    );
  }

  /** A variable with given values (e.g. a zero fusion weight). */
  create(
    name: string,
    block: number,
    owner: ParameterOwner,
    shape: number[],
    values: () => Float32Array,
  ): tf.Variable {
    this.assertUsable();
    const variable = tf.tidy(() =>
      tf.variable(tf.tensor(values(), shape, 'float32'), true, `${this.namePrefix}${name}`),
    );
    this.records.push({ name, variable, block, owner });
    return variable;
  }

  /** All variables in creation order. */
  all(): readonly NamedVariable[] {
    return this.records;
  }

  shared(): NamedVariable[] {
    return this.records.filter((r) => r.owner === 'shared');
  }

  ofTask(task: number): NamedVariable[] {
    return this.records.filter((r) => typeof r.owner === 'object' && r.owner.task === task);
  }

  /** Layout of the flattened shared-parameter vector (order of `shared()`). */
  sharedLayout(): ParameterLayout {
    const entries: ParameterEntry[] = [];
    let offset = 0;
    for (const record of this.shared()) {
      const size = record.variable.size;
      entries.push({
        name: record.name,
        block: record.block,
        offset,
        size,
        shape: [...record.variable.shape],
      });
      offset += size;
    }
    return { entries, size: offset };
  }

  parameterCount(): number {
    return this.records.reduce((sum, r) => sum + r.variable.size, 0);
  }

  byName(): Record<string, tf.Variable> {
    return Object.fromEntries(this.records.map((r) => [r.name, r.variable]));
  }

  /**
   * Assigns values by stable name. The set of names and every shape must match exactly, so a checkpoint
   * of another architecture is refused rather than half-loaded.
   */
  assign(values: Readonly<Record<string, tf.Tensor>>, source: string): void {
    this.assertUsable();
    const expected = new Set(this.records.map((r) => r.name));
    const missing = [...expected].filter((name) => !(name in values));
    const unexpected = Object.keys(values).filter((name) => !expected.has(name));
    if (missing.length > 0 || unexpected.length > 0) {
      const parts = [];
      if (missing.length > 0) parts.push(`missing ${listSome(missing)}`);
      if (unexpected.length > 0) parts.push(`unexpected ${listSome(unexpected)}`);
      throw new UserError(`${source}: variables do not match the ranker's architecture: ${parts.join('; ')}`);
    }
    for (const record of this.records) {
      const value = values[record.name] as tf.Tensor;
      if (!sameShape(value.shape, record.variable.shape)) {
        throw new UserError(
          `${source}: ${record.name} has shape [${value.shape.join(', ')}], expected [${record.variable.shape.join(', ')}]`,
        );
      }
    }
    for (const record of this.records) record.variable.assign(values[record.name] as tf.Tensor);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  assertUsable(): void {
    if (this.disposed) throw new UserError('this ranker was disposed; create or load a new one');
  }

  /** Releases every variable. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const record of this.records) record.variable.dispose();
  }
}

function listSome(names: readonly string[]): string {
  return `${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
