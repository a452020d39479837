import { selectBackend } from '@mtl2r/backend';
import { ConfigError, UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRankerManifest, rankerFromArtifacts, rankerToArtifacts } from './artifacts.js';
import { createRanker, type Ranker } from './ranker.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

const config = {
  featureCount: 3,
  modelDim: 4,
  blocks: 2,
  heads: 2,
  ffnDim: 5,
  taskCount: 2,
  perTaskHeads: true,
  pairModuleDim: 2,
};
const features = [
  [
    [0.1, -0.4, 1.2],
    [2, 0.3, -1],
    [0.5, 0.5, 0.5],
  ],
];
const mask = [[1, 1, 0]];

function scores(ranker: Ranker): number[] {
  return tf.tidy(() => Array.from(ranker.apply(tf.tensor3d(features), tf.tensor2d(mask)).dataSync()));
}

function trainedLookingRanker(): Ranker {
  const ranker = createRanker(config, 'artifacts');
  ranker.addPairModule(0, 1, 1);
  // Give every variable non-initial values so a loader that re-initialises would be caught.
  for (const { variable } of ranker.namedVariables()) tf.tidy(() => variable.assign(tf.add(variable, 0.125)));
  return ranker;
}

describe('rankerToArtifacts / rankerFromArtifacts', () => {
  it('round-trips through JSON text and bytes to bit-identical scores, architecture and extras', () => {
    const original = trainedLookingRanker();
    const extras = { features: { normalize: 'log-zscore', mean: [1, 2, 3] }, labels: ['relevance', 'click'] };
    const { manifest, weights } = rankerToArtifacts(original, extras);
    expect(weights.byteLength).toBe(4 * original.parameterCount());
    expect(manifest.weightsManifest[0]?.weights[0]).toEqual({
      name: 'input.weight',
      shape: [3, 4],
      dtype: 'float32',
    });
    const { ranker, extras: loadedExtras } = rankerFromArtifacts(JSON.stringify(manifest), weights.slice(0));
    expect(scores(ranker)).toEqual(scores(original));
    expect(ranker.config).toEqual(original.config);
    expect(ranker.pairModules()).toEqual(original.pairModules());
    expect(loadedExtras).toEqual(extras);
    // The seed travels too: a module grown after loading starts as in the original.
    original.addPairModule(0, 1, 0);
    ranker.addPairModule(0, 1, 0);
    expect(Array.from(ranker.weights()['pairs.0-1.0.input.weight']?.dataSync() ?? [])).toEqual(
      Array.from(original.weights()['pairs.0-1.0.input.weight']?.dataSync() ?? []),
    );
    original.dispose();
    ranker.dispose();
  });

  it("writes tfjs's weights format: tf.io.decodeWeights alone reads every variable back", () => {
    const original = trainedLookingRanker();
    const { manifest, weights } = rankerToArtifacts(original);
    const decoded = tf.io.decodeWeights(weights, manifest.weightsManifest[0]?.weights ?? []);
    for (const { name, variable } of original.namedVariables()) {
      expect(decoded[name]?.shape, name).toEqual(variable.shape);
      expect(Array.from(decoded[name]?.dataSync() ?? []), name).toEqual(Array.from(variable.dataSync()));
    }
    tf.dispose(decoded);
    original.dispose();
  });

  it('accepts the weights as an unaligned Uint8Array view', () => {
    const original = trainedLookingRanker();
    const { manifest, weights } = rankerToArtifacts(original);
    const padded = new Uint8Array(weights.byteLength + 1);
    padded.set(new Uint8Array(weights), 1);
    const { ranker } = rankerFromArtifacts(manifest, padded.subarray(1));
    expect(scores(ranker)).toEqual(scores(original));
    original.dispose();
    ranker.dispose();
  });

  it('refuses weights of the wrong size, naming both files and the expected byte count', () => {
    const original = trainedLookingRanker();
    const { manifest, weights } = rankerToArtifacts(original);
    const before = tf.memory().numTensors;
    expect(() =>
      rankerFromArtifacts(manifest, weights.slice(0, 100), {
        manifest: 'm/model.json',
        weights: 'm/weights.bin',
      }),
    ).toThrow(
      `m/weights.bin: expected ${weights.byteLength} bytes (${original.namedVariables().length} float32 tensors listed in m/model.json), found 100`,
    );
    expect(tf.memory().numTensors).toBe(before);
    original.dispose();
  });

  it('refuses a manifest whose variables do not match its architecture, leaving nothing allocated', () => {
    const original = trainedLookingRanker();
    const { manifest, weights } = rankerToArtifacts(original);
    const specs = manifest.weightsManifest[0]?.weights ?? [];
    const renamed = structuredClone(manifest);
    const first = renamed.weightsManifest[0]?.weights[0];
    if (first !== undefined) first.name = 'input.kernel';
    const before = tf.memory().numTensors;
    expect(() => rankerFromArtifacts(renamed, weights)).toThrow(
      "model.json + weights.bin: variables do not match the ranker's architecture: missing input.weight; unexpected input.kernel",
    );
    const reshaped = structuredClone(manifest);
    const firstSpec = reshaped.weightsManifest[0]?.weights[0];
    if (firstSpec !== undefined) firstSpec.shape = [4, 3];
    expect(() => rankerFromArtifacts(reshaped, weights)).toThrow(
      'input.weight has shape [4, 3], expected [3, 4]',
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(specs.length).toBeGreaterThan(0);
    original.dispose();
  });
});

describe('parseRankerManifest', () => {
  it('names the file for text that is not JSON', () => {
    expect(() => parseRankerManifest('{"format": ', 'run/model.json')).toThrow(
      /^run\/model\.json: not valid JSON \(.+\); expected a ranker manifest written by saveRanker$/,
    );
  });

  it('names the failing paths of a manifest that does not validate', () => {
    const original = createRanker(config, 1);
    const { manifest } = rankerToArtifacts(original);
    original.dispose();
    const broken = {
      ...manifest,
      config: { ...manifest.config, heads: 3 },
      weightsManifest: [{ paths: [], weights: [] }],
    };
    try {
      parseRankerManifest(broken, 'x/model.json');
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/^x\/model\.json: not a valid mtl2r-ranker manifest/);
      expect((error as ConfigError).issues.map((i) => i.path).sort()).toEqual([
        'config.heads',
        'weightsManifest[0].paths',
      ]);
    }
  });

  it('says when a manifest comes from a newer format version', () => {
    expect(() => parseRankerManifest({ format: 'mtl2r-ranker', formatVersion: 2 }, 'model.json')).toThrow(
      UserError,
    );
    expect(() => parseRankerManifest({ format: 'mtl2r-ranker', formatVersion: 2 }, 'model.json')).toThrow(
      'model.json: format version 2 is newer than this @mtl2r/encoder reads (1); upgrade it',
    );
  });
});
