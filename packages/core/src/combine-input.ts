import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { CombineInput, ParameterLayout } from './contract.js';
import { gramMatrix } from './gram-matrix.js';

export interface CombineInputParts {
  step: number;
  epoch: number;
  losses: Float32Array;
  grads?: Tensor2D;
  layout?: ParameterLayout;
}

/**
 * Builds the `CombineInput` the trainer (and the conformance testkit, the same way) hands to `combine`.
 * When gradients are present, `gram` is the K x K Gram matrix G G^T, computed on first read and then
 * cached, so a method that works on coordinates only (GradDrop) never pays for it and the methods that
 * read it several times pay once. It must be read while `grads` is alive, i.e. during `combine`.
 */
export function createCombineInput(parts: CombineInputParts): CombineInput {
  const input: CombineInput = {
    step: parts.step,
    epoch: parts.epoch,
    losses: parts.losses,
    ...(parts.layout === undefined ? {} : { layout: parts.layout }),
  };
  const grads = parts.grads;
  if (grads === undefined) return input;
  input.grads = grads;
  let cached: Float64Array | undefined;
  Object.defineProperty(input, 'gram', {
    enumerable: true,
    configurable: false,
    get(): Float64Array {
      cached ??= gramMatrix(grads);
      return cached;
    },
  });
  return input;
}
