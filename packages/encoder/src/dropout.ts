import { Rng } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';

/** Resolution of the keep/drop decision: two decisions per 32-bit random word. */
const LEVELS = 65536;

/**
 * Reproducible dropout masks. Every dropout site (`blocks.0.attn.probs`, ...) gets its own stream keyed by
 * (seed, site), so re-running a forward pass with the same seed reproduces every mask exactly, whatever
 * else ran in between, and adding a site does not shift the others.
 *
 * Masks are filled in JS with an inline xorshift128 (a few integer ops per two elements) instead of
 * tf.randomUniform, which draws every element through a slow JS generator (PERF-NOTES trap 5).
 * The drop probability is quantised to 1/65536 and kept values are scaled by 1 / (1 - quantised rate),
 * so the expectation of the output equals the input exactly.
 */
export class DropoutMasks {
  readonly seed: number;
  readonly rate: number;
  /** The drop threshold on a 16-bit draw. */
  private readonly threshold: number;
  private readonly keepScale: number;
  private readonly cache: Map<string, Float32Array> | undefined;

  /**
   * `cache: true` keeps every mask drawn, so the K forward passes of one training step (one per task
   * gradient, or a re-evaluation after the update) fill each mask once. Costs one float per masked element
   * of JS memory (about 430 MB at B 64, L 240 with the defaults): use one instance per step and drop it.
   */
  constructor(seed: number, rate: number, options: { cache?: boolean } = {}) {
    if (!Number.isFinite(seed)) throw new RangeError(`dropout seed must be a finite number, got ${seed}`);
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
    this.seed = seed;
    this.rate = rate;
    this.threshold = Math.round(rate * LEVELS);
    this.keepScale = LEVELS / (LEVELS - this.threshold);
    this.cache = options.cache === true ? new Map() : undefined;
  }

  /** The drop probability actually used (the rate rounded to a multiple of 1/65536). */
  get effectiveRate(): number {
    return this.threshold / LEVELS;
  }

  /** Mask values (0 or the keep scale) for `size` elements of `site`. */
  maskValues(site: string, size: number): Float32Array {
    const key = `${site}#${size}`;
    const cached = this.cache?.get(key);
    if (cached !== undefined) return cached;
    const out = this.fill(site, size);
    this.cache?.set(key, out);
    return out;
  }

  private fill(site: string, size: number): Float32Array {
    const out = new Float32Array(size);
    const threshold = this.threshold;
    // Indexed by (draw < threshold): a lookup instead of a branch, which random draws mispredict half the time.
    const values = new Float32Array([this.keepScale, 0]);
    const [s0, s1, s2, s3] = new Rng(`dropout:${this.seed}:${site}`).state().s;
    // Signed int32 locals keep V8 on its fast small-integer path (>>> 0 would box the values).
    let a = s0 | 0;
    let b = s1 | 0;
    let c = s2 | 0;
    let d = s3 | 0;
    const pairs = size >> 1;
    for (let p = 0; p <= pairs; p++) {
      // xorshift128 (Marsaglia 2003); its state words come from core's seeded hash, never all zero.
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
    return out;
  }

  /** x * mask for the site; returns x itself when the rate is 0. */
  apply(x: tf.Tensor, site: string): tf.Tensor {
    if (this.threshold === 0) return x;
    return tf.tidy(() => tf.mul(x, tf.tensor(this.maskValues(site, x.size), x.shape, 'float32')));
  }
}
