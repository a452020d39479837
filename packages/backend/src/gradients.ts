import * as tf from '@tensorflow/tfjs-core';

let registered: Promise<void> | undefined;

/**
 * tfjs-core's Node (CommonJS) build registers no gradient functions ("gradient function not found for
 * Mean"). The union package's Node build carries them, compiled against the same tfjs-core copy, so
 * loading it once registers every gradient. Also switches tfjs to production mode, which silences its
 * "install tfjs-node" banner (we report the backend choice ourselves).
 */
export function ensureGradientsRegistered(): Promise<void> {
  registered ??= (async () => {
    tf.enableProdMode();
    await import('@tensorflow/tfjs');
  })();
  return registered;
}
