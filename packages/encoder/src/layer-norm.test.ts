import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerNorm } from './layer-norm.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

// x = [1, 2, 3, 6]: mean 3, deviations [-2, -1, 0, 3], sum of squares 14.
const x = [1, 2, 3, 6];
const deviations = [-2, -1, 0, 3];
const gamma = [1, 2, 1, 1];
const beta = [0, 0, 0.5, 0];

function run(kind: 'standard' | 'allrank'): number[] {
  return tf.tidy(() =>
    Array.from(layerNorm(tf.tensor2d([x]), tf.tensor1d(gamma), tf.tensor1d(beta), kind).dataSync()),
  );
}

describe('layerNorm', () => {
  it('standard: biased variance 14/4 = 3.5, epsilon inside the square root', () => {
    const denominator = Math.sqrt(3.5 + 1e-5);
    const expected = deviations.map((d, i) => (gamma[i] as number) * (d / denominator) + (beta[i] as number));
    run('standard').forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 6);
    });
  });

  it('allrank: unbiased std sqrt(14/3), epsilon added to the std', () => {
    const denominator = Math.sqrt(14 / 3) + 1e-6;
    const expected = deviations.map((d, i) => (gamma[i] as number) * (d / denominator) + (beta[i] as number));
    run('allrank').forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 6);
    });
    // The two kinds differ by the factor sqrt(3.5) / sqrt(14/3) on the normalised part.
    expect(run('allrank')[3]).not.toBeCloseTo(run('standard')[3] as number, 2);
  });

  it('normalises each row of a 3-D tensor independently over the last axis', () => {
    const out = tf.tidy(() =>
      layerNorm(
        tf.tensor3d([[[1, 2, 3, 6]], [[10, 20, 30, 60]]]),
        tf.tensor1d([1, 1, 1, 1]),
        tf.tensor1d([0, 0, 0, 0]),
        'allrank',
      ).arraySync(),
    ) as number[][][];
    out[1]?.[0]?.forEach((v, i) => {
      expect(v).toBeCloseTo(out[0]?.[0]?.[i] as number, 5);
    });
  });

  it('releases every intermediate tensor', () => {
    const input = tf.tensor2d([x]);
    const g = tf.tensor1d(gamma);
    const b = tf.tensor1d(beta);
    const before = tf.memory().numTensors;
    layerNorm(input, g, b, 'allrank').dispose();
    layerNorm(input, g, b, 'standard').dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([input, g, b]);
  });
});
