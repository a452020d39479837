import type { Tensor } from '@tensorflow/tfjs-core';
import type { CombineOutput, GradientSpace, Strategy } from './contract.js';
import { PluginError } from './errors.js';
import { describeStrategy } from './strategy-origin.js';

export interface CombineOutputExpectation {
  /** K: one weight per task. */
  taskCount: number;
  /** The instance's gradient space (`strategy.needs.grads`). */
  space: GradientSpace;
  /** Length of a direction in that space (P for 'shared'); required unless the space is 'none'. */
  directionSize?: number;
}

/** The checked weights (and the direction, if any, now owned by the caller). */
export interface CheckedCombineOutput {
  weights: Float32Array;
  direction?: CombineOutput['direction'];
  diagnostics?: Readonly<Record<string, number>>;
}

function isTensor(value: unknown): value is Tensor {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Tensor).dispose === 'function' &&
    Array.isArray((value as Tensor).shape)
  );
}

/**
 * Checks what `combine` returned, the same way in the trainer and the conformance testkit: K finite weights,
 * a direction only in a gradient space and then a rank-1 tensor of the space's length, diagnostics finite
 * numbers. A violation is the plugin's fault: a `PluginError` naming the plugin and its package; the
 * direction is disposed first so a failed step leaks nothing.
 */
export function validateCombineOutput(
  strategy: Strategy,
  output: unknown,
  expected: CombineOutputExpectation,
): CheckedCombineOutput {
  const who = describeStrategy(strategy);
  const fail = (problem: string): never => {
    const direction = (output as { direction?: unknown } | null)?.direction;
    if (isTensor(direction) && !direction.isDisposed) direction.dispose();
    throw new PluginError(`${who} broke the strategy contract at combine: ${problem}`, {
      hint: 'this is a bug in the plugin; report it to its authors (the conformance testkit finds it)',
    });
  };
  if (output === null || typeof output !== 'object') {
    return fail(
      `expected an object { weights, direction? }, got ${output === null ? 'null' : typeof output}`,
    );
  }
  const { weights: rawWeights, direction, diagnostics } = output as Record<string, unknown>;
  const arrayLike = rawWeights as ArrayLike<number> | undefined;
  if (arrayLike === null || typeof arrayLike !== 'object' || typeof arrayLike.length !== 'number') {
    return fail(`weights must be an array of ${expected.taskCount} numbers, got ${typeof rawWeights}`);
  }
  const weights = Float32Array.from(arrayLike);
  if (weights.length !== expected.taskCount) {
    return fail(`returned ${weights.length} weights for ${expected.taskCount} tasks`);
  }
  const bad = Array.from(arrayLike).findIndex((w) => typeof w !== 'number' || !Number.isFinite(w));
  if (bad >= 0) return fail(`weights[${bad}] is ${String(arrayLike[bad])}, expected a finite number`);
  if (direction !== undefined) {
    if (expected.space === 'none') {
      return fail(
        "returned a direction, but its needs.grads is 'none': there is no gradient space to point in",
      );
    }
    if (!isTensor(direction)) return fail(`direction must be a rank-1 tensor, got ${typeof direction}`);
    if (direction.isDisposed) return fail('returned a direction tensor that is already disposed');
    if (direction.rank !== 1 || direction.size !== expected.directionSize) {
      return fail(
        `direction has shape [${direction.shape.join(', ')}]; expected [${String(expected.directionSize)}] in the '${expected.space}' space`,
      );
    }
  }
  if (diagnostics !== undefined) {
    if (diagnostics === null || typeof diagnostics !== 'object') {
      return fail(`diagnostics must be an object of named numbers, got ${typeof diagnostics}`);
    }
    for (const [name, value] of Object.entries(diagnostics)) {
      if (typeof value !== 'number')
        return fail(`diagnostics['${name}'] is ${typeof value}, expected a number`);
    }
  }
  return {
    weights,
    ...(direction === undefined ? {} : { direction: direction as CombineOutput['direction'] }),
    ...(diagnostics === undefined ? {} : { diagnostics: diagnostics as Readonly<Record<string, number>> }),
  };
}
