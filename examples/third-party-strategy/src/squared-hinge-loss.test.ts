import { selectBackend } from '@mtl2r/backend';
import { LossRegistry } from '@mtl2r/losses';
import { describeLossConformance } from '@mtl2r/losses/conformance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { squaredHinge } from './squared-hinge-loss.js';

describeLossConformance(squaredHinge, { tiedValue: 0 });
describeLossConformance(squaredHinge, { options: { margin: 0.25 } });

describe('squaredHinge', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('matches a hand-computed value', () => {
    // One list, labels [2, 0, 1], scores [0.5, 0, 1]: pairs (0,1) gap 0.5 -> 0.25, (0,2) gap -0.5 -> 2.25,
    // (2,1) gap 1 -> 0; mean (0.25 + 2.25 + 0) / 3.
    const loss = new LossRegistry().use(squaredHinge).create('squaredHinge');
    const value = tf.tidy(
      () =>
        loss
          .compute(tf.tensor2d([[0.5, 0, 1]]), tf.tensor2d([[2, 0, 1]]), tf.tensor2d([[1, 1, 1]]))
          .dataSync()[0],
    );
    expect(value).toBeCloseTo(2.5 / 3, 6);
  });
});
