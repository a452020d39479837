import type { Rng } from '@mtl2r/core';

/**
 * Xavier/Glorot-uniform values for a weight matrix: U(-a, a) with a = sqrt(6 / (fanIn + fanOut)),
 * as PyTorch's `xavier_uniform_` (allRank applies it to every parameter with more than one dimension).
 */
export function xavierUniform(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  checkFan(fanIn, 'fanIn');
  checkFan(fanOut, 'fanOut');
  return uniform(rng, fanIn * fanOut, Math.sqrt(6 / (fanIn + fanOut)));
}

/** PyTorch's default Linear bias: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
export function linearBiasUniform(rng: Rng, fanIn: number, size: number): Float32Array {
  checkFan(fanIn, 'fanIn');
  return uniform(rng, size, 1 / Math.sqrt(fanIn));
}

function uniform(rng: Rng, size: number, bound: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (2 * rng.float() - 1) * bound;
  return out;
}

function checkFan(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}
