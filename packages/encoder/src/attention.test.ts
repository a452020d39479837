import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AttentionParameters, multiHeadSelfAttention, paddedKeyBias } from './attention.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

function identityLayer(width: number): AttentionParameters {
  const make = () => ({ weight: tf.variable(tf.eye(width)), bias: tf.variable(tf.zeros([width])) });
  return { q: make(), k: make(), v: make(), o: make() };
}

function disposeLayer(layer: AttentionParameters): void {
  for (const part of [layer.q, layer.k, layer.v, layer.o]) tf.dispose([part.weight, part.bias]);
}

/** Reference single-head attention with identity projections, in float64 JS. */
function referenceAttention(
  items: number[][],
  real: boolean[],
  headWidth: number,
  headOffset: number,
): number[][] {
  return items.map((query) => {
    const logits = items.map((key, j) => {
      let dot = 0;
      for (let c = 0; c < headWidth; c++)
        dot += (query[headOffset + c] as number) * (key[headOffset + c] as number);
      return real[j] ? dot / Math.sqrt(headWidth) : Number.NEGATIVE_INFINITY;
    });
    const max = Math.max(...logits);
    const weights = logits.map((l) => Math.exp(l - max));
    const total = weights.reduce((a, b) => a + b, 0);
    return Array.from({ length: headWidth }, (_, c) =>
      items.reduce(
        (sum, value, j) => sum + ((weights[j] as number) / total) * (value[headOffset + c] as number),
        0,
      ),
    );
  });
}

describe('multiHeadSelfAttention', () => {
  it('matches hand-computed softmax(q k^T / sqrt(d_h)) v per head, with padded keys given zero weight', () => {
    const items = [
      [0.5, -1, 2, 0.25],
      [1, 0.5, -0.5, 1],
      [-1, 2, 0, 0.5],
    ];
    const real = [true, true, false];
    const layer = identityLayer(4);
    const out = tf.tidy(() => {
      const bias = paddedKeyBias(tf.tensor2d([[1, 1, 0]]));
      return multiHeadSelfAttention(tf.tensor3d([items]), layer, bias, 2, undefined, 'a').arraySync()[0];
    }) as number[][];
    const head0 = referenceAttention(items, real, 2, 0);
    const head1 = referenceAttention(items, real, 2, 2);
    out.forEach((row, i) => {
      const expected = [...(head0[i] as number[]), ...(head1[i] as number[])];
      row.forEach((v, c) => {
        expect(v).toBeCloseTo(expected[c] as number, 5);
      });
    });
    disposeLayer(layer);
  });

  it('keeps a fully padded list finite and lists independent of each other', () => {
    const layer = identityLayer(2);
    const [padded, other] = tf.tidy(() => {
      const x = tf.tensor3d([
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ]);
      const bias = paddedKeyBias(
        tf.tensor2d(
          [
            [0, 0],
            [1, 1],
          ],
          [2, 2],
          'int32',
        ),
      );
      const both = multiHeadSelfAttention(x, layer, bias, 1, undefined, 'a').arraySync();
      const alone = multiHeadSelfAttention(
        tf.tensor3d([
          [
            [5, 6],
            [7, 8],
          ],
        ]),
        layer,
        tf.zeros([1, 1, 1, 2]) as tf.Tensor4D,
        1,
        undefined,
        'a',
      ).arraySync();
      return [both, alone[0]];
    });
    // All keys padded: uniform weights over the padding, finite.
    expect(padded?.[0]).toEqual([
      [2, 3],
      [2, 3],
    ]);
    expect(padded?.[1]).toEqual(other);
    disposeLayer(layer);
  });
});
