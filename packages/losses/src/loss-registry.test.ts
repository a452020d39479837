import { selectBackend } from '@mtl2r/backend';
import { ConfigError, PluginError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeLossConformance } from './describe-loss-conformance.js';
import { defineLoss, LOSS_CONTRACT_VERSION } from './loss-plugin.js';
import { LossRegistry } from './loss-registry.js';
import { lossNames } from './registry.js';

/** A third-party style loss: mean over real items of (score - scale * label)^2. */
const scaledSquaredError = defineLoss({
  name: 'scaledSquaredError',
  contractVersion: LOSS_CONTRACT_VERSION,
  packageName: 'mtl2r-loss-scaled-squared-error',
  options: z.strictObject({ scale: z.number().positive().default(1) }),
  create: (options) => ({
    name: 'scaledSquaredError',
    outputs: 1,
    canBeNonPositive: true,
    compute: (scores, labels, mask) =>
      tf.tidy(() => {
        const real = tf.greater(mask, 0);
        const s = tf.where(real, scores as tf.Tensor2D, tf.zerosLike(scores as tf.Tensor2D));
        const y = tf.where(real, labels, tf.zerosLike(labels));
        const squared = tf.mul(tf.square(tf.sub(s, tf.mul(y, options.scale))), mask);
        return tf.div(tf.sum(squared), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
      }),
  }),
});

describe('LossRegistry', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it("holds mtl2r's own losses and creates them with validated options", () => {
    const registry = new LossRegistry();
    expect(registry.names()).toEqual([...lossNames]);
    expect(registry.create('listNet').name).toBe('listNet');
    expect(() => registry.create('rankNet', { sigma: -1 }, { path: 'losses[1]' })).toThrow(ConfigError);
    expect(() => registry.create('rankNet', { sigma: -1 }, { path: 'losses[1]' })).toThrow(
      'losses[1].options.sigma',
    );
  });

  it('registers a plugin loss made with defineLoss, typed and validated by its schema', () => {
    const registry = new LossRegistry().use(scaledSquaredError);
    const loss = registry.create('scaledSquaredError', { scale: 2 });
    const value = tf.tidy(() =>
      loss.compute(tf.tensor2d([[1, 0, 9]]), tf.tensor2d([[1, 0, 5]]), tf.tensor2d([[1, 1, 0]])).dataSync(),
    );
    // ((1 - 2)^2 + (0 - 0)^2) / 2 real items
    expect(value[0]).toBeCloseTo(0.5, 6);
    expect(() => registry.create('scaledSquaredError', { scale: 0 }, { path: 'losses[0]' })).toThrow(
      'losses[0].options.scale',
    );
  });

  it('names the unknown loss and what exists; refuses a name taken by another plugin', () => {
    expect(() => new LossRegistry().create('hinge', {}, { path: 'losses[2]' })).toThrow(
      /losses\[2\]\.name: expected one of listNet, .* \(or give plugin: a package or file\)/,
    );
    const impostor = { ...scaledSquaredError, name: 'listNet' };
    expect(() => new LossRegistry().use(impostor)).toThrow(PluginError);
    expect(() => new LossRegistry().use(impostor)).toThrow(
      "cannot register loss 'listNet' (mtl2r-loss-scaled-squared-error): the name is taken by @mtl2r/losses",
    );
  });

  it('refuses something that is not a loss plugin, saying what is wrong', () => {
    expect(() => new LossRegistry().use({ name: 'x y', contractVersion: 1 } as never)).toThrow(
      /is not a loss plugin:\n {2}- name must be an identifier like 'squaredHinge' \(got "x y"\)\n {2}- create must be a function/,
    );
    expect(() => new LossRegistry().use({ ...scaledSquaredError, contractVersion: 2 } as never)).toThrow(
      "loss plugin 'scaledSquaredError' implements loss contract v2, but @mtl2r/losses implements v1",
    );
  });
});

describeLossConformance(scaledSquaredError, { options: { scale: 0.5 } });
