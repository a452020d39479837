import * as tf from '@tensorflow/tfjs-core';

/**
 * Worker processes forked from TypeScript sources (tests, `tsx`) run @mtl2r/backend unbundled, where its
 * import of tfjs-core's ES gradient registrations fails under plain Node (directory imports). There, load
 * the gradients from the @tensorflow/tfjs umbrella's Node build first (a dev dependency), so the backend
 * finds them registered. Built (dist) workers skip this: the backend bundles its gradients.
 */
export async function registerGradientsWhenFromSource(moduleUrl: string): Promise<void> {
  if (!moduleUrl.endsWith('.ts') || tf.getGradient('Mean') !== undefined) return;
  const umbrella = '@tensorflow/tfjs';
  await import(umbrella);
}
