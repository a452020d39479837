import * as tf from '@tensorflow/tfjs-core';

let registered: Promise<void> | undefined;

/**
 * tfjs-core's Node (CommonJS) build registers no gradient functions ("gradient function not found for
 * Mean"); its ES module build has them in `dist/register_all_gradients.js`. Importing that module registers
 * every gradient into the one global registry (tfjs keeps its engine and registries on the global object,
 * so the ES copy of the ops it pulls in works on the same engine and tensors). The build bundles it (see
 * tsup.config.ts), so the @tensorflow/tfjs umbrella (layers, converter, webgl: 124 MB) is not needed.
 * Also switches tfjs to production mode, which silences its "install tfjs-node" banner (we report the
 * backend choice ourselves).
 */
export function ensureGradientsRegistered(): Promise<void> {
  registered ??= (async () => {
    tf.enableProdMode();
    if (tf.getGradient('Mean') === undefined) {
      await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    }
  })();
  return registered;
}
