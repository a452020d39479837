import { UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';

const missing = (name: string) =>
  Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' });

describe('selectBackend', () => {
  it('auto skips tfjs-node-gpu and tfjs-node when they are not installed and says so', async () => {
    const selection = await selectBackend({
      importPackage: async (name) => {
        if (name.includes('tfjs-node')) throw missing(name);
        return import(name);
      },
    });
    expect(selection.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.reason).toContain('node-gpu: @tensorflow/tfjs-node-gpu is not installed');
    expect(selection.reason).toContain('node: @tensorflow/tfjs-node is not installed');
    expect(selection.candidates.map((c) => [c.name, c.available])).toEqual([
      ['node-gpu', false],
      ['node', false],
      ['wasm', true],
    ]);
  });

  it('falls back to cpu when wasm is missing too', async () => {
    const selection = await selectBackend({
      importPackage: async (name) => {
        if (name !== '@tensorflow/tfjs-backend-cpu') throw missing(name);
        return import(name);
      },
    });
    expect(selection.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('an explicit backend that is not installed names the package to install', async () => {
    const attempt = selectBackend({
      backend: 'node',
      importPackage: async (name) => Promise.reject(missing(name)),
    });
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(
      /backend 'node' is not available: @tensorflow\/tfjs-node is not installed/,
    );
    await attempt.catch((error: UserError) =>
      expect(error.hint).toBe('install it: pnpm add @tensorflow/tfjs-node@4.22.0'),
    );
  });

  it('rejects an unknown backend name listing the valid ones', async () => {
    // @ts-expect-error deliberately wrong
    await expect(selectBackend({ backend: 'gpu' })).rejects.toThrow(
      "unknown backend 'gpu'; expected one of auto, node-gpu, node, wasm, cpu",
    );
  });

  it('registers gradients so tf.grad works on the chosen backend', async () => {
    await selectBackend({ backend: 'cpu' });
    const grad = tf.grad((x: tf.Tensor) => tf.mean(tf.square(x)));
    const g = grad(tf.tensor1d([1, 2, 3]));
    // d/dx mean(x^2) = 2x / n
    expect(Array.from(g.dataSync())).toEqual([2 / 3, 4 / 3, 2].map((v) => Math.fround(v)));
  });
});
