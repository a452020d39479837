import * as tf from '@tensorflow/tfjs-core';
import type { DropoutMasks } from './dropout.js';
import { type LinearParameters, linear } from './linear.js';

/** Added to the attention logits of padded keys: large enough to give them exactly zero weight in float32. */
export const PADDED_KEY_BIAS = -1e9;

export interface AttentionParameters {
  q: LinearParameters;
  k: LinearParameters;
  v: LinearParameters;
  o: LinearParameters;
}

/**
 * [B, L] mask (1 or true = real item) -> [B, 1, 1, L] additive bias for the attention logits.
 * A finite bias instead of -inf keeps a fully padded list finite (its softmax is uniform over padding).
 */
export function paddedKeyBias(mask: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, length] = mask.shape;
    const padded = tf.sub(1, tf.cast(mask, 'float32'));
    return tf.reshape(tf.mul(padded, PADDED_KEY_BIAS), [batch, 1, 1, length]);
  });
}

/**
 * Multi-head scaled dot-product self-attention within each list: x [B, L, d] -> [B, L, d].
 * Batched 4-D matMuls over [B, heads]; dropout on the attention probabilities (site `${site}.probs`).
 */
export function multiHeadSelfAttention(
  x: tf.Tensor3D,
  layer: AttentionParameters,
  keyBias: tf.Tensor4D,
  heads: number,
  dropout: DropoutMasks | undefined,
  site: string,
): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, length, width] = x.shape;
    const headWidth = width / heads;
    const splitHeads = (t: tf.Tensor) =>
      tf.transpose(tf.reshape(t, [batch, length, heads, headWidth]), [0, 2, 1, 3]) as tf.Tensor4D;
    // Scaling q before the product is cheaper than scaling the [B, h, L, L] logits.
    const q = splitHeads(tf.mul(linear(x, layer.q), 1 / Math.sqrt(headWidth)));
    const k = splitHeads(linear(x, layer.k));
    const v = splitHeads(linear(x, layer.v));
    // Each [B, h, L, L] tensor is disposed as soon as the next one exists (the tidy would keep all four
    // until the block ends); what the backward pass needs, the tape keeps.
    const products = tf.matMul(q, k, false, true);
    const logits = tf.add(products, keyBias);
    products.dispose();
    let probabilities = tf.softmax(logits);
    logits.dispose();
    if (dropout !== undefined) {
      const dropped = dropout.apply(probabilities, `${site}.probs`);
      if (dropped !== probabilities) probabilities.dispose();
      probabilities = dropped;
    }
    const context = tf.matMul(probabilities as tf.Tensor4D, v);
    probabilities.dispose();
    const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch, length, width]);
    return linear(merged, layer.o) as tf.Tensor3D;
  });
}
