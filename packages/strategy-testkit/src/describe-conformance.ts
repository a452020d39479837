import { selectBackend } from '@mtl2r/backend';
import type { StrategyPlugin } from '@mtl2r/core';
import { beforeAll, describe, it } from 'vitest';
import {
  type ConformanceCases,
  checkDeterminism,
  checkDispose,
  checkNoLeaks,
  checkOptions,
  checkShapes,
  checkStateRoundTrip,
  checkWeightsSumToOne,
} from './checks.js';

/**
 * The conformance suite every strategy plugin runs from its own test file:
 *
 *   describeStrategyConformance(plugin, { invalidOptions: [{ options: { c: -1 }, message: 'c' }] });
 *
 * It checks options validation, shapes and finiteness for K = 2..5, weights summing to 1 where declared,
 * determinism for a seed, no tensor leaks over 100 steps, state round trips and dispose. Each step goes
 * through the trainer's own pieces (core's `createCombineInput` and `validateCombineOutput`); a plugin that
 * declares `needs.growsModel` is attached to a `SimulatedGrowableModel` first. `cases.options` is typed
 * from the plugin's schema.
 */
export function describeStrategyConformance<Options>(
  plugin: StrategyPlugin<Options>,
  typedCases: ConformanceCases<Options> = {},
): void {
  const subject = plugin as StrategyPlugin<unknown>;
  const cases = typedCases as ConformanceCases;
  const title = cases.options === undefined ? '' : ` with options ${JSON.stringify(cases.options)}`;
  describe(`strategy '${plugin.id}'${title} conforms to the strategy contract`, () => {
    beforeAll(async () => {
      await selectBackend({ backend: 'cpu' });
    });

    it('accepts default options and rejects bad ones with a message', () => checkOptions(subject, cases));

    for (const taskCount of cases.taskCounts ?? [2, 3, 4, 5]) {
      it(`combine returns finite values of the right shapes for K = ${taskCount}`, () =>
        checkShapes(subject, cases, taskCount));
      if (plugin.weightsSumToOne === true) {
        it(`weights are non-negative and sum to 1 for K = ${taskCount}`, () =>
          checkWeightsSumToOne(subject, cases, taskCount));
      }
    }

    it('the same seed gives the same outputs', () => checkDeterminism(subject, cases));
    it('leaks no tensors over 100 steps', () => checkNoLeaks(subject, cases));
    it('state() then loadState() on a fresh instance continues identically', () =>
      checkStateRoundTrip(subject, cases));
    it('dispose() releases everything', () => checkDispose(subject, cases));
  });
}
