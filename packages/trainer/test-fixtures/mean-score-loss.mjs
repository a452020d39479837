// A loss plugin written as a plain JavaScript file, loaded by path in loss-plugins.test.ts.
import * as tf from '@tensorflow/tfjs-core';

export default {
  name: 'meanScore',
  contractVersion: 1,
  options: { '~standard': { version: 1, vendor: 'fixture', validate: (value) => ({ value }) } },
  create: () => ({
    name: 'meanScore',
    outputs: 1,
    canBeNonPositive: true,
    compute: (scores, _labels, mask) =>
      tf.tidy(() =>
        tf.div(
          tf.sum(tf.mul(tf.where(tf.greater(mask, 0), scores, tf.zerosLike(scores)), mask)),
          tf.maximum(tf.sum(mask), 1),
        ),
      ),
  }),
};
