import * as tf from '@tensorflow/tfjs-core';

let registered: Promise<void> | undefined;
let hookInstalled = false;

/**
 * From TypeScript sources under plain Node or tsx (tests' child processes, benches), tfjs-core's ES files
 * cannot be loaded as they are: install a resolve hook for them first (harmless under vitest, which resolves
 * them itself). The built package bundles them and never installs it.
 */
async function allowTfjsEsmFromSource(): Promise<void> {
  if (!import.meta.url.endsWith('.ts') || hookInstalled) return;
  hookInstalled = true;
  const { register } = await import('node:module');
  register('./tfjs-esm-hooks.mjs', import.meta.url);
}

/**
 * tfjs-core's Node (CommonJS) build registers no gradient functions ("gradient function not found for
 * Mean") and no chained ops (`x.mul(y)`). Its ES build has both, in `dist/register_all_gradients.js` and
 * `dist/public/chained_ops/register_all_chained_ops.js` (what the @tensorflow/tfjs umbrella imports).
 * Importing them registers into tfjs's global registries and onto the global Tensor class (tfjs keeps its
 * engine on the global object, so the ES copy of the ops they pull in works on the same engine and
 * tensors). The build bundles them (tsup.config.ts), so the umbrella (layers, converter, webgl: 124 MB)
 * is not installed. Also switches tfjs to production mode, which silences its "install tfjs-node" banner
 * (we report the backend choice ourselves).
 */
export function ensureGradientsRegistered(): Promise<void> {
  registered ??= (async () => {
    tf.enableProdMode();
    await allowTfjsEsmFromSource();
    if (tf.getGradient('Mean') === undefined) {
      await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    }
    // The chained ops (x.mul(y), ...) the umbrella also registered: on the one global Tensor class.
    if (typeof (tf.Tensor.prototype as { mul?: unknown }).mul !== 'function') {
      await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js');
    }
  })();
  return registered;
}
