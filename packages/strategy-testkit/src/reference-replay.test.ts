import { selectBackend } from '@mtl2r/backend';
import type { Strategy } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeError, replayCombinedGradients, weightedSum } from './reference-replay.js';

function fixedStrategy(grads: 'none' | 'shared', direction?: number[]): Strategy {
  return {
    needs: { grads },
    combine: (input) => ({
      weights: Array.from(input.losses, (loss) => 2 * loss),
      ...(direction === undefined ? {} : { direction: tf.tensor1d(direction) }),
      diagnostics: { gram00: input.gram?.[0] ?? -1 },
    }),
    state: () => null,
    loadState: () => {},
    dispose: () => {},
  };
}

describe('reference replay', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  const steps = [
    {
      losses: [0.5, 1],
      grads: [
        [1, 2],
        [3, -1],
      ],
    },
  ];

  it('sums the weighted task gradients when no direction is returned', async () => {
    // w = [1, 2]: 1 * (1, 2) + 2 * (3, -1) = (7, 0).
    expect(await replayCombinedGradients(fixedStrategy('none'), steps)).toEqual([[7, 0]]);
    expect(weightedSum([1, 2], steps[0]!.grads)).toEqual([7, 0]);
  });

  it('takes the direction when the strategy returns one, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const combined = await replayCombinedGradients(fixedStrategy('shared', [0.25, -4]), steps);
    expect(combined).toEqual([[0.25, -4]]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('measures the error relative to the reference vector scale', () => {
    expect(maxRelativeError([[1, 2.001]], [[1, 2]])).toBeCloseTo(0.0005, 9);
    expect(maxRelativeError([[1e-13]], [[0]])).toBeCloseTo(1e-13, 20);
    expect(maxRelativeError([[Number.NaN]], [[1]])).toBe(Number.POSITIVE_INFINITY);
    expect(() => maxRelativeError([], [[1]])).toThrow('expected 1 vectors, got 0');
  });
});
