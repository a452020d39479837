import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DropoutMasks } from './dropout.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

describe('DropoutMasks', () => {
  it('drops about `rate` of the elements and scales the kept ones so the mean is preserved', () => {
    const masks = new DropoutMasks(7, 0.3);
    const values = masks.maskValues('blocks.0.attn.probs', 200_000);
    const keepScale = 1 / (1 - masks.effectiveRate);
    let dropped = 0;
    let otherValues = 0;
    let sum = 0;
    for (const v of values) {
      if (v === 0) dropped++;
      else if (v !== Math.fround(keepScale)) otherValues++;
      sum += v;
    }
    expect(otherValues).toBe(0);
    expect(masks.effectiveRate).toBeCloseTo(0.3, 4);
    expect(Math.abs(dropped / values.length - 0.3)).toBeLessThan(0.005);
    expect(Math.abs(sum / values.length - 1)).toBeLessThan(0.01);
  });

  it('reproduces a mask from (seed, site) alone, whatever was drawn before', () => {
    const first = new DropoutMasks(42, 0.5);
    const again = new DropoutMasks(42, 0.5);
    const a = first.maskValues('site.a', 1000);
    first.maskValues('site.b', 5000);
    expect(first.maskValues('site.a', 1000)).toEqual(a);
    again.maskValues('site.c', 77);
    expect(again.maskValues('site.a', 1000)).toEqual(a);
  });

  it('a shorter mask is a prefix of a longer one, for odd and even sizes', () => {
    const masks = new DropoutMasks(5, 0.4);
    const long = masks.maskValues('s', 10);
    expect(masks.maskValues('s', 7)).toEqual(long.slice(0, 7));
    expect(masks.maskValues('s', 8)).toEqual(long.slice(0, 8));
    expect(masks.maskValues('s', 1)).toEqual(long.slice(0, 1));
    expect(masks.maskValues('s', 0)).toEqual(new Float32Array(0));
  });

  it('with cache: true, returns the same mask object again instead of refilling it', () => {
    const cached = new DropoutMasks(8, 0.3, { cache: true });
    const first = cached.maskValues('s', 100);
    expect(cached.maskValues('s', 100)).toBe(first);
    expect(cached.maskValues('s', 100)).toEqual(new DropoutMasks(8, 0.3).maskValues('s', 100));
    expect(cached.maskValues('s', 50)).toEqual(first.slice(0, 50));
    const uncached = new DropoutMasks(8, 0.3);
    expect(uncached.maskValues('s', 100)).not.toBe(uncached.maskValues('s', 100));
  });

  it('gives different masks for another site or another seed', () => {
    const a = new DropoutMasks(42, 0.5).maskValues('site.a', 1000);
    const otherSite = new DropoutMasks(42, 0.5).maskValues('site.b', 1000);
    const otherSeed = new DropoutMasks(43, 0.5).maskValues('site.a', 1000);
    const agreement = (x: Float32Array, y: Float32Array) => x.filter((v, i) => v === y[i]).length / x.length;
    // Independent masks at rate 0.5 agree on about half of the elements.
    expect(agreement(a, otherSite)).toBeGreaterThan(0.4);
    expect(agreement(a, otherSite)).toBeLessThan(0.6);
    expect(agreement(a, otherSeed)).toBeLessThan(0.6);
  });

  it('apply multiplies by the mask and leaves no tensors behind', () => {
    const masks = new DropoutMasks(3, 0.25);
    const x = tf.range(1, 41).reshape([5, 8]);
    const before = tf.memory().numTensors;
    const y = masks.apply(x, 'ffn');
    const expected = masks.maskValues('ffn', 40).map((m, i) => m * (i + 1));
    expect(Array.from(y.dataSync())).toEqual(Array.from(expected));
    expect(y.shape).toEqual([5, 8]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('rate 0 is the identity', () => {
    const x = tf.ones([3]);
    expect(new DropoutMasks(1, 0).apply(x, 's')).toBe(x);
    x.dispose();
  });

  it('rejects a rate outside [0, 1) and a non-finite seed', () => {
    expect(() => new DropoutMasks(1, 1)).toThrow('dropout rate must be in [0, 1), got 1');
    expect(() => new DropoutMasks(1, -0.1)).toThrow('dropout rate must be in [0, 1), got -0.1');
    expect(() => new DropoutMasks(Number.NaN, 0.1)).toThrow('dropout seed must be a finite number, got NaN');
  });
});
