import { selectBackend } from '@mtl2r/backend';
import { UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rankerFromArtifacts, rankerToArtifacts } from './artifacts.js';
import { PREFERENCE_INPUT_WEIGHT } from './conditioning.js';
import type { RankerConfigInput } from './config.js';
import { createRanker, type Ranker } from './ranker.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

const live: Ranker[] = [];
afterEach(() => {
  for (const ranker of live.splice(0)) ranker.dispose();
});

function make(config: RankerConfigInput, seed = 3): Ranker {
  const ranker = createRanker(config, seed);
  live.push(ranker);
  return ranker;
}

const plain: RankerConfigInput = {
  featureCount: 3,
  modelDim: 4,
  blocks: 1,
  heads: 2,
  ffnDim: 5,
  dropout: 0,
  taskCount: 2,
};
const conditioned: RankerConfigInput = { ...plain, conditioning: 'input' };

function inputs(): { features: tf.Tensor3D; mask: tf.Tensor2D } {
  const values = Array.from({ length: 2 * 3 * 3 }, (_, i) => Math.sin(i * 1.7) * 1.5);
  return {
    features: tf.tensor3d(values, [2, 3, 3]),
    mask: tf.tensor2d([1, 1, 1, 1, 1, 0], [2, 3]),
  };
}

function scores(ranker: Ranker, preference?: readonly number[]): Float32Array {
  const { features, mask } = inputs();
  try {
    const out = ranker.apply(features, mask, preference === undefined ? {} : { preference });
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return values;
  } finally {
    tf.dispose([features, mask]);
  }
}

describe('preference conditioning (input)', () => {
  it('adds only W_r [K, d]; every other parameter keeps its unconditioned name, shape and value', () => {
    const before = make(plain);
    const after = make(conditioned);
    const old = before.weights();
    const now = after.weights();
    expect(Object.keys(now).filter((name) => !(name in old))).toEqual([PREFERENCE_INPUT_WEIGHT]);
    expect(now[PREFERENCE_INPUT_WEIGHT]?.shape).toEqual([2, 4]);
    for (const [name, variable] of Object.entries(old)) {
      expect(Array.from(now[name]?.dataSync() ?? []), name).toEqual(Array.from(variable.dataSync()));
    }
    expect(after.parameterCount()).toBe(before.parameterCount() + 8);
    expect(after.conditioned).toBe(true);
    expect(before.conditioned).toBe(false);
  });

  it('equals appending r to the features: the input bias shifted by r W_r', () => {
    const model = make(conditioned);
    const reference = make(plain);
    const r = [0.25, 0.75];
    const w = model.weights()[PREFERENCE_INPUT_WEIGHT]?.arraySync() as number[][];
    // The conditioned model's own values for every shared name (not the twin's variables themselves).
    const own = model.weights();
    const values: Record<string, tf.Tensor> = Object.fromEntries(
      Object.keys(reference.weights()).map((name) => [name, own[name] as tf.Tensor]),
    );
    const bias = Array.from(model.weights()['input.bias']?.dataSync() ?? []);
    // Hand-computed r W_r added to the bias of the unconditioned twin.
    const shifted = bias.map(
      (b, j) => b + (r[0] as number) * (w[0]?.[j] as number) + (r[1] as number) * (w[1]?.[j] as number),
    );
    values['input.bias'] = tf.tensor1d(shifted);
    reference.setWeights(values);
    (values['input.bias'] as tf.Tensor).dispose();
    const got = scores(model, r);
    const want = scores(reference);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 5));
  });

  it('normalises the preference and moves the scores with it', () => {
    const model = make(conditioned);
    expect(Array.from(scores(model, [1, 3]))).toEqual(Array.from(scores(model, [0.25, 0.75])));
    const a = scores(model, [1, 0]);
    const b = scores(model, [0, 1]);
    expect(a.some((v, i) => Math.abs(v - (b[i] as number)) > 1e-4)).toBe(true);
  });

  it('matches finite differences in W_r', () => {
    const model = make(conditioned);
    const weight = model.weights()[PREFERENCE_INPUT_WEIGHT] as tf.Variable;
    const r = [0.4, 0.6];
    const { features, mask } = inputs();
    const objective = () => tf.sum(tf.square(model.apply(features, mask, { preference: r }))) as tf.Scalar;
    const { value, grads } = tf.variableGrads(objective, [weight]);
    const analytic = (grads[weight.name] as tf.Tensor).arraySync() as number[][];
    value.dispose();
    tf.dispose(Object.values(grads));
    const original = weight.arraySync() as number[][];
    const h = 1e-2;
    for (const [i, j] of [
      [0, 0],
      [1, 3],
    ] as const) {
      const at = (delta: number) => {
        const moved = original.map((row) => row.slice());
        (moved[i] as number[])[j] = ((original[i] as number[])[j] as number) + delta;
        weight.assign(tf.tensor2d(moved));
        return tf.tidy(() => objective().dataSync()[0] as number);
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      weight.assign(tf.tensor2d(original));
      expect(analytic[i]?.[j]).toBeCloseTo(numeric, 2);
    }
    tf.dispose([features, mask]);
  });

  it('refuses a missing, wrong-length, negative or all-zero preference, and any preference for a plain ranker', () => {
    const model = make(conditioned);
    expect(() => scores(model)).toThrow(/conditioned on a preference: give one \(2 non-negative numbers/);
    expect(() => scores(model, [1, 2, 3])).toThrow(/has 3 numbers, but the ranker has 2 tasks/);
    expect(() => scores(model, [1, -1])).toThrow(/preference\[1\] is -1; expected a finite number >= 0/);
    expect(() => scores(model, [0, 0])).toThrow(/all zeros/);
    expect(() => scores(make(plain), [0.5, 0.5])).toThrow(UserError);
    expect(() => scores(make(plain), [0.5, 0.5])).toThrow(/not conditioned on a preference/);
  });

  it('is saved with the model: the manifest config carries it and the loaded ranker scores the same', () => {
    const model = make(conditioned);
    const { manifest, weights } = rankerToArtifacts(model);
    expect(manifest.config.conditioning).toBe('input');
    const loaded = rankerFromArtifacts(JSON.stringify(manifest), weights.slice(0)).ranker;
    live.push(loaded);
    expect(Array.from(scores(loaded, [0.3, 0.7]))).toEqual(Array.from(scores(model, [0.3, 0.7])));
    const plainManifest = rankerToArtifacts(make(plain)).manifest;
    expect('conditioning' in plainManifest.config).toBe(false);
  });
});

describe('preference conditioning (film)', () => {
  const film: RankerConfigInput = { ...plain, blocks: 2, conditioning: 'film' };
  const twin: RankerConfigInput = { ...plain, blocks: 2 };

  it('adds zero-initialised [K, d] scale and shift matrices per block: a fresh model scores as the plain one', () => {
    const model = make(film);
    const reference = make(twin);
    const added = Object.keys(model.weights()).filter((name) => !(name in reference.weights()));
    expect(added).toEqual([
      'blocks.0.film.scale',
      'blocks.0.film.shift',
      'blocks.1.film.scale',
      'blocks.1.film.shift',
    ]);
    expect(Array.from(scores(model, [0.9, 0.1]))).toEqual(Array.from(scores(reference)));
  });

  it('x * (1 + r S) + r T after each block: a uniform scale or shift before the final LayerNorm changes nothing, a varied one does', () => {
    const model = make({ ...film, blocks: 1 });
    const base = scores(model, [0.5, 0.5]);
    const weights = model.weights();
    const set = (name: string, values: number[]) => {
      const value = tf.tensor2d(values, [2, 4]);
      (weights[name] as tf.Variable).assign(value);
      value.dispose();
    };
    // r S = 0.5 * 1 + 0.5 * 3 = 2 on every channel, r T = 0.5 * (-1) + 0.5 * 3 = 1 on every channel: LN(2x + 1) = LN(x)
    // up to LayerNorm's epsilon.
    set('blocks.0.film.scale', [1, 1, 1, 1, 3, 3, 3, 3]);
    set('blocks.0.film.shift', [-1, -1, -1, -1, 3, 3, 3, 3]);
    scores(model, [0.5, 0.5]).forEach((v, i) => expect(v).toBeCloseTo(base[i] as number, 3));
    set('blocks.0.film.scale', [0, 0.5, -0.5, 2, 1, 0, 0, -0.25]);
    const varied = scores(model, [0.5, 0.5]);
    expect(varied.some((v, i) => Math.abs(v - (base[i] as number)) > 1e-3)).toBe(true);
  });

  it('matches finite differences in a block scale matrix, and is saved with the model', () => {
    const model = make(film);
    const scale = model.weights()['blocks.1.film.scale'] as tf.Variable;
    const shift = model.weights()['blocks.0.film.shift'] as tf.Variable;
    const start = tf.tensor2d([0.3, -0.2, 0.1, 0.4, -0.1, 0.2, 0.5, -0.3], [2, 4]);
    shift.assign(start);
    start.dispose();
    const r = [0.7, 0.3];
    const { features, mask } = inputs();
    const objective = () => tf.sum(tf.square(model.apply(features, mask, { preference: r }))) as tf.Scalar;
    const { value, grads } = tf.variableGrads(objective, [scale]);
    const analytic = (grads[scale.name] as tf.Tensor).arraySync() as number[][];
    value.dispose();
    tf.dispose(Object.values(grads));
    const h = 1e-2;
    const at = (delta: number) => {
      const moved = tf.tensor2d([delta, 0, 0, 0, 0, 0, 0, 0], [2, 4]);
      scale.assign(moved);
      moved.dispose();
      return tf.tidy(() => objective().dataSync()[0] as number);
    };
    const numeric = (at(h) - at(-h)) / (2 * h);
    at(0);
    expect(analytic[0]?.[0]).toBeCloseTo(numeric, 2);
    tf.dispose([features, mask]);
    const { manifest, weights } = rankerToArtifacts(model);
    expect(manifest.config.conditioning).toBe('film');
    const loaded = rankerFromArtifacts(JSON.stringify(manifest), weights.slice(0)).ranker;
    live.push(loaded);
    expect(Array.from(scores(loaded, r))).toEqual(Array.from(scores(model, r)));
  });
});
