import { selectBackend } from '@mtl2r/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLossConformance } from './conformance.js';
import { lossValue } from './loss-checks.js';
import { ordinalLoss } from './ordinal.js';

const create = (n: number) => ordinalLoss.create(ordinalLoss.options.parse({ n }));
const softplus = (x: number) => Math.log1p(Math.exp(x));

describe('ordinal', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('sums BCE(logit_t, [y >= t]) over levels and averages over real items', () => {
    // Item 0: logits (0, 1), label 2 -> targets (1, 1): softplus(0) + softplus(1) - 1 = 1.006409.
    // Item 1: logits (2, -1), label 0 -> targets (0, 0): softplus(2) + softplus(-1) = 2.440190.
    // Item 2 is padding.
    const value = lossValue(create(2), {
      scores: [
        [
          [0, 1],
          [2, -1],
          [5, 5],
        ],
      ],
      labels: [[2, 0, 1]],
      mask: [[1, 1, 0]],
    });
    const expected = (softplus(0) + softplus(1) - 1 + softplus(2) + softplus(-1)) / 2;
    expect(expected).toBeCloseTo(1.7233, 4);
    expect(value).toBeCloseTo(expected, 5);
  });

  it('declares n outputs and rejects scores without them', () => {
    const loss = create(3);
    expect(loss.outputs).toBe(3);
    const scores = tf.zeros([1, 2, 2]) as tf.Tensor3D;
    const labels = tf.zeros([1, 2]) as tf.Tensor2D;
    expect(() => loss.compute(scores, labels, labels)).toThrow(
      "loss 'ordinal': scores must have shape [B, L, 3] = [1, 2, 3] to match labels, got [1, 2, 2]",
    );
    tf.dispose([scores, labels]);
  });

  it('requires n', () => {
    expect(ordinalLoss.options.safeParse({}).success).toBe(false);
  });

  checkLossConformance(() => create(2), {
    batch: {
      scores: [
        [
          [0.3, -0.2],
          [1.2, 0.4],
          [-0.5, 0.9],
        ],
        [
          [0.1, 0.7],
          [-1.1, 0.2],
          [0.6, -0.3],
        ],
      ],
      labels: [
        [2, 0, 1],
        [1, 2, 0],
      ],
      mask: [
        [1, 1, 1],
        [1, 0, 1],
      ],
    },
    tiedBatch: {
      scores: [
        [
          [0.3, -0.2],
          [1.2, 0.4],
        ],
      ],
      labels: [[1, 1]],
      mask: [[1, 1]],
    },
  });
});
