import {
  DROPOUT_KERNEL,
  DROPOUT_LEVELS,
  type DropoutStream,
  dropoutStream,
  fillDropoutMask,
} from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Reproducible dropout masks. Every dropout site (`blocks.0.attn.probs`, ...) gets its own stream keyed by
 * (seed, site), so re-running a forward pass with the same seed reproduces every mask exactly, whatever
 * else ran in between, and adding a site does not shift the others.
 *
 * Where the backend provides core's DROPOUT_KERNEL (@mtl2r/backend on wasm with the native addon),
 * `apply` runs it: the mask is drawn in native code while multiplying, and regenerated in the backward
 * pass instead of being kept for it. Elsewhere (no addon, the browser) the mask is filled in JS with
 * core's inline xorshift128 (`fillDropoutMask`, not tf.randomUniform: PERF-NOTES trap 5) and multiplied
 * as a tensor. Both draw the same stream, so training gives the same bits either way.
 * The drop probability is quantised to 1/65536 and kept values are scaled by 1 / (1 - quantised rate),
 * so the expectation of the output equals the input exactly.
 */
export class DropoutMasks {
  readonly seed: number;
  readonly rate: number;
  /** The drop threshold on a 16-bit draw. */
  private readonly threshold: number;
  private readonly cache: Map<string, Float32Array> | undefined;

  /**
   * `cache: true` keeps every mask drawn in JS, so the K forward passes of one training step (one per task
   * gradient, or a re-evaluation after the update) fill each mask once. Costs one float per masked element
   * of JS memory (about 430 MB at B 64, L 240 with the defaults): use one instance per step and drop it.
   * The native kernel draws no mask to cache.
   */
  constructor(seed: number, rate: number, options: { cache?: boolean } = {}) {
    if (!Number.isFinite(seed)) throw new RangeError(`dropout seed must be a finite number, got ${seed}`);
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
    this.seed = seed;
    this.rate = rate;
    this.threshold = Math.round(rate * DROPOUT_LEVELS);
    this.cache = options.cache === true ? new Map() : undefined;
  }

  /** The drop probability actually used (the rate rounded to a multiple of 1/65536). */
  get effectiveRate(): number {
    return this.threshold / DROPOUT_LEVELS;
  }

  /** The random stream of a site's mask (what the native kernel takes). */
  stream(site: string): DropoutStream {
    return dropoutStream(this.seed, site, this.rate);
  }

  /** Mask values (0 or the keep scale) for `size` elements of `site`. */
  maskValues(site: string, size: number): Float32Array {
    const key = `${site}#${size}`;
    const cached = this.cache?.get(key);
    if (cached !== undefined) return cached;
    const out = new Float32Array(size);
    fillDropoutMask(this.stream(site), out);
    this.cache?.set(key, out);
    return out;
  }

  /** x * mask for the site; returns x itself when the rate is 0. */
  apply(x: tf.Tensor, site: string): tf.Tensor {
    if (this.threshold === 0) return x;
    if (x.dtype === 'float32' && tf.getKernel(DROPOUT_KERNEL, tf.getBackend()) !== undefined) {
      const attrs = this.stream(site) as unknown as tf.NamedAttrMap;
      return tf.engine().runKernel(DROPOUT_KERNEL, { x }, attrs) as tf.Tensor;
    }
    return tf.tidy(() => tf.mul(x, tf.tensor(this.maskValues(site, x.size), x.shape, 'float32')));
  }
}
