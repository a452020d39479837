/*
 * Shared by the ranker's tests (not exported): tiny configs, deterministic batches, and rankers that are
 * disposed after each test (call `disposeRankers` from afterEach).
 */
import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import type { RankerConfigInput } from './config.js';
import { createRanker, type Ranker } from './ranker.js';

const live: Ranker[] = [];

export function disposeRankers(): void {
  for (const ranker of live.splice(0)) ranker.dispose();
}

export function make(config: RankerConfigInput, seed: number | string = 1): Ranker {
  const ranker = createRanker(config, seed);
  live.push(ranker);
  return ranker;
}

export const tiny: RankerConfigInput = {
  featureCount: 3,
  modelDim: 4,
  blocks: 2,
  heads: 2,
  ffnDim: 5,
  dropout: 0.3,
  taskCount: 2,
};

/** Deterministic features [B, L, F] in (-2, 2) and a mask with the given list lengths. */
export function batch(
  lengths: number[],
  items: number,
  features: number,
  seed = 5,
): { x: number[][][]; mask: number[][] } {
  const rng = new Rng(seed);
  const x = lengths.map(() =>
    Array.from({ length: items }, () => Array.from({ length: features }, () => 4 * rng.float() - 2)),
  );
  const mask = lengths.map((n) => Array.from({ length: items }, (_, i) => (i < n ? 1 : 0)));
  return { x, mask };
}

export function scoresOf(ranker: Ranker, x: number[][][], mask: number[][], options = {}): number[][][] {
  return tf.tidy(() => ranker.apply(tf.tensor3d(x), tf.tensor2d(mask), options).arraySync());
}
