import { selectBackend } from '@mtl2r/backend';
import { UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLossConformance } from './conformance.js';
import { listNetLoss } from './list-net.js';
import { lossValue } from './loss-checks.js';

const create = () => listNetLoss.create(listNetLoss.options.parse({}));

describe('listNet', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('is the cross-entropy of softmax(labels) against softmax(scores), averaged over lists', () => {
    // List 1: p = softmax([2, 1, 0]) = [0.6652, 0.2447, 0.0900], q = softmax([1, 2, 0]) = [0.2447, 0.6652, 0.0900];
    //   -sum p log q = 0.6652*1.4076 + 0.2447*0.4076 + 0.0900*2.4076 = 1.252908.
    // List 2 (third item padded): p = [1/2, 1/2], q = [sigmoid(1), sigmoid(-1)];
    //   -(log sigmoid(1) + log sigmoid(-1)) / 2 = (0.313262 + 1.313262) / 2 = 0.813262.
    const value = lossValue(create(), {
      scores: [
        [1, 2, 0],
        [0.5, -0.5, 9],
      ],
      labels: [
        [2, 1, 0],
        [1, 1, 4],
      ],
      mask: [
        [1, 1, 1],
        [1, 1, 0],
      ],
    });
    expect(value).toBeCloseTo((1.252908 + 0.813262) / 2, 5);
  });

  it('a one-item list has zero loss but still counts in the mean', () => {
    const value = lossValue(create(), {
      scores: [
        [3, 0],
        [0, 0],
      ],
      labels: [
        [1, 0],
        [1, 0],
      ],
      mask: [
        [1, 0],
        [1, 1],
      ],
    });
    // List 2: p = softmax([1, 0]) = [0.731059, 0.268941], q = [1/2, 1/2]: loss ln 2; list 1 adds 0.
    expect(value).toBeCloseTo(Math.LN2 / 2, 6);
  });

  it('rejects scores whose shape does not match the labels, saying which', () => {
    const loss = create();
    const scores = tf.zeros([2, 4]) as tf.Tensor2D;
    const labels = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => loss.compute(scores, labels, labels)).toThrow(UserError);
    expect(() => loss.compute(scores, labels, labels)).toThrow(
      "loss 'listNet': scores must have shape [B, L] = [2, 3] to match labels, got [2, 4]",
    );
    tf.dispose([scores, labels]);
  });

  it('rejects unknown options', () => {
    expect(listNetLoss.options.safeParse({ temperature: 1 }).success).toBe(false);
  });

  checkLossConformance(create);
});
