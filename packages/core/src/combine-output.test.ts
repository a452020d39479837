import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validateCombineOutput } from './combine-output.js';
import { defineStrategy, type Strategy } from './contract.js';
import { PluginError } from './errors.js';
import { createStrategy } from './registry.js';

const plugin = defineStrategy({
  id: 'sloppy',
  contractVersion: 1,
  family: 'gradient',
  paretoFront: false,
  packageName: 'mtl2r-strategy-sloppy',
  needs: { grads: ['none', 'shared'] },
  options: z.object({ space: z.enum(['none', 'shared']).default('shared') }),
  create: (options): Strategy => ({
    needs: { grads: options.space },
    combine: () => ({ weights: [1, 1] }),
    state: () => null,
    loadState: () => {},
    dispose: () => {},
  }),
});

const shared = createStrategy(plugin, { taskNames: ['a', 'b'] });
const lossOnly = createStrategy(plugin, { taskNames: ['a', 'b'], options: { space: 'none' } });
const expectation = { taskCount: 2, space: 'shared', directionSize: 3 } as const;

describe('validateCombineOutput', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('passes good output through: weights as float32, the direction untouched', () => {
    const direction = tf.tensor1d([1, 2, 3]);
    const checked = validateCombineOutput(shared, { weights: [0.25, 0.75], direction }, expectation);
    expect(Array.from(checked.weights)).toEqual([0.25, 0.75]);
    expect(checked.direction).toBe(direction);
    direction.dispose();
  });

  it.each([
    [{ weights: [1] }, 'returned 1 weights for 2 tasks'],
    [{ weights: [1, Number.NaN] }, 'weights[1] is NaN, expected a finite number'],
    [{ weights: [1, Number.POSITIVE_INFINITY] }, 'weights[1] is Infinity'],
    [{}, 'weights must be an array of 2 numbers, got undefined'],
    [null, 'expected an object { weights, direction? }, got null'],
    [{ weights: [1, 1], diagnostics: { cos: 'x' } }, "diagnostics['cos'] is string, expected a number"],
  ])('names the plugin and its package for %j', (output, problem) => {
    const attempt = () => validateCombineOutput(shared, output, expectation);
    expect(attempt).toThrow(PluginError);
    expect(attempt).toThrow(
      `strategy 'sloppy' (mtl2r-strategy-sloppy) broke the strategy contract at combine: ${problem}`,
    );
  });

  it('rejects a direction of the wrong shape, or any direction without a gradient space, and disposes it', () => {
    const before = tf.memory().numTensors;
    expect(() =>
      validateCombineOutput(shared, { weights: [1, 1], direction: tf.tensor1d([1, 2]) }, expectation),
    ).toThrow("direction has shape [2]; expected [3] in the 'shared' space");
    expect(() =>
      validateCombineOutput(shared, { weights: [1, 1], direction: tf.ones([1, 3]) }, expectation),
    ).toThrow('direction has shape [1, 3]');
    expect(() =>
      validateCombineOutput(
        lossOnly,
        { weights: [1, 1], direction: tf.tensor1d([1, 2, 3]) },
        { taskCount: 2, space: 'none' },
      ),
    ).toThrow("returned a direction, but its needs.grads is 'none'");
    expect(() =>
      validateCombineOutput(shared, { weights: [1, 1], direction: [1, 2, 3] }, expectation),
    ).toThrow('direction must be a rank-1 tensor, got object');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says "the strategy" for an instance not made by createStrategy', () => {
    const bare: Strategy = { ...shared };
    expect(() => validateCombineOutput(bare, { weights: [1] }, expectation)).toThrow(
      'the strategy broke the strategy contract at combine: returned 1 weights for 2 tasks',
    );
  });
});
