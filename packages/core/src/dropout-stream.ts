import { Rng } from './rng.js';

/**
 * The name under which a tfjs backend may register a native dropout kernel: inputs `{ x }` (float32), attrs
 * `DropoutStream`, output x * mask with the mask of `fillDropoutMask`. Its gradient is the same kernel
 * applied to dy (the mask is regenerated from the stream, never stored). The encoder uses it when the
 * current backend has it (@mtl2r/backend registers it on wasm when the native addon loads) and multiplies
 * by a mask tensor filled in JS otherwise: both give the same bits.
 */
export const DROPOUT_KERNEL = 'Mtl2rDropout';

/** Resolution of the keep/drop decision: two decisions per 32-bit random word. */
export const DROPOUT_LEVELS = 65536;

/** Everything that determines one dropout mask (plain numbers, so it can travel as tfjs kernel attrs). */
export interface DropoutStream {
  /** xorshift128 state words (uint32), never all zero. */
  state: [number, number, number, number];
  /** An element is dropped when its 16-bit draw is below this (rate x 65536, rounded). */
  threshold: number;
  /** What a kept element is multiplied by: 65536 / (65536 - threshold), as float32. */
  keepScale: number;
}

/** The mask stream of one dropout site: keyed by (seed, site) only, so other sites do not shift it. */
export function dropoutStream(seed: number, site: string, rate: number): DropoutStream {
  if (!Number.isFinite(seed)) throw new RangeError(`dropout seed must be a finite number, got ${seed}`);
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  const threshold = Math.round(rate * DROPOUT_LEVELS);
  const [s0, s1, s2, s3] = new Rng(`dropout:${seed}:${site}`).state().s;
  return {
    state: [s0 >>> 0, s1 >>> 0, s2 >>> 0, s3 >>> 0],
    threshold,
    keepScale: Math.fround(DROPOUT_LEVELS / (DROPOUT_LEVELS - threshold)),
  };
}

/**
 * Fills `out` with the stream's mask: 0 (dropped) or keepScale, element i from the low (even i) or high
 * (odd i) 16 bits of the (i >> 1)-th xorshift128 (Marsaglia 2003) word. A shorter mask is a prefix of a
 * longer one. The native kernel (packages/backend/src/native/dropout.c) draws exactly this sequence.
 */
export function fillDropoutMask(stream: DropoutStream, out: Float32Array): void {
  const size = out.length;
  const threshold = stream.threshold;
  // Indexed by (draw < threshold): a lookup instead of a branch, which random draws mispredict half the time.
  const values = new Float32Array([stream.keepScale, 0]);
  const [s0, s1, s2, s3] = stream.state;
  // Signed int32 locals keep V8 on its fast small-integer path (>>> 0 would box the values).
  let a = s0 | 0;
  let b = s1 | 0;
  let c = s2 | 0;
  let d = s3 | 0;
  const pairs = size >> 1;
  for (let p = 0; p <= pairs; p++) {
    const t = a ^ (a << 11);
    a = b;
    b = c;
    c = d;
    d = d ^ (d >>> 19) ^ t ^ (t >>> 8);
    if (p === pairs) {
      if ((size & 1) === 1) out[size - 1] = values[((d & 0xffff) - threshold) >>> 31] as number;
      break;
    }
    // (draw - threshold) >>> 31 is 1 exactly when draw < threshold (both are in [0, 65536]).
    out[2 * p] = values[((d & 0xffff) - threshold) >>> 31] as number;
    out[2 * p + 1] = values[((d >>> 16) - threshold) >>> 31] as number;
  }
}
