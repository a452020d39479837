// Node module resolve hook, installed by gradients.ts only when @mtl2r/backend runs from its TypeScript
// sources under plain Node or tsx (the built package bundles these imports). tfjs-core's ES build imports
// its own files without extensions ('./gradients'); where a folder of that name exists too, Node refuses the
// directory import. Inside tfjs-core's dist/, an extensionless relative import means the .js file beside it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? '';
  if (
    specifier.startsWith('.') &&
    !/\.[cm]?js$/.test(specifier) &&
    parent.includes('/@tensorflow/tfjs-core/dist/')
  ) {
    const url = new URL(`${specifier}.js`, parent);
    if (existsSync(fileURLToPath(url))) return { url: url.href, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}
