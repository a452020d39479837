import { describe } from 'vitest';
import { type ConformanceOptions, checkLossConformance, standardBatch, tiedBatch } from './conformance.js';
import type { LossPlugin } from './loss-plugin.js';
import { LossRegistry } from './loss-registry.js';

export { type ConformanceOptions, checkLossConformance, standardBatch, tiedBatch };

/**
 * The conformance suite a loss plugin runs from its own test file (`@mtl2r/losses/conformance`):
 * created through a registry exactly as a run creates it (options validated by its schema), the loss's
 * gradient must match central finite differences, padding (even NaN junk, even a fully padded list) must
 * change neither its value nor real items' gradients and get zero gradient, tied labels stay finite, and
 * nothing leaks.
 *
 *   describeLossConformance(squaredHinge, { options: { margin: 0.5 } });
 */
export function describeLossConformance<Options>(
  plugin: LossPlugin<Options>,
  settings: ConformanceOptions & { options?: Partial<Options> } = {},
): void {
  const registry = new LossRegistry({ builtins: false }).use(plugin);
  describe(`loss '${plugin.name}' conforms to the loss contract`, () => {
    checkLossConformance(() => registry.create(plugin.name, settings.options ?? {}), settings);
  });
}
