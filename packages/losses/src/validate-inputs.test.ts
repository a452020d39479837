import { selectBackend } from '@mtl2r/backend';
import { UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertLossInputs } from './validate-inputs.js';

describe('assertLossInputs', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  const check = (outputs: number, scores: tf.Tensor, labels: tf.Tensor, mask: tf.Tensor) => () => {
    try {
      assertLossInputs('demo', outputs, scores, labels, mask);
    } finally {
      tf.dispose([scores, labels, mask]);
    }
  };

  it('accepts matching shapes', () => {
    expect(check(1, tf.zeros([2, 3]), tf.zeros([2, 3]), tf.ones([2, 3]))).not.toThrow();
    expect(check(4, tf.zeros([2, 3, 4]), tf.zeros([2, 3]), tf.ones([2, 3]))).not.toThrow();
  });

  it('names the argument, the expected shape and the actual one', () => {
    expect(check(1, tf.zeros([2, 3]), tf.zeros([6]), tf.ones([2, 3]))).toThrow(
      "loss 'demo': labels must be a 2-D tensor [B, L], got shape [6]",
    );
    expect(check(1, tf.zeros([2, 3]), tf.zeros([2, 3]), tf.ones([3, 2]))).toThrow(
      "loss 'demo': mask must have the labels' shape [2, 3], got [3, 2]",
    );
    expect(check(2, tf.zeros([2, 3]), tf.zeros([2, 3]), tf.ones([2, 3]))).toThrow(
      "loss 'demo': scores must have shape [B, L, 2] = [2, 3, 2] to match labels, got [2, 3]",
    );
    expect(check(1, tf.zeros([2, 3]), tf.zeros([2, 3], 'int32'), tf.ones([2, 3]))).toThrow(
      "loss 'demo': labels must be float32, got int32",
    );
    expect(check(1, tf.zeros([2, 3]), tf.zeros([2, 3]), tf.ones([3, 2]))).toThrow(UserError);
  });
});
