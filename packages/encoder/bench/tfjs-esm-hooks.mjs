// Module resolve hook for the bench's child processes under tsx: tfjs-core's ES build imports its own files
// without extensions ('./gradients'), and where a folder of that name exists too, tsx picks the folder and
// fails. Inside tfjs-core's dist/, an extensionless relative import means the .js file next to it.
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
