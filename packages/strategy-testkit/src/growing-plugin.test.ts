import { selectBackend } from '@mtl2r/backend';
import { defineStrategy, type GrowableModel, type Strategy } from '@mtl2r/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConformanceError, checkDeterminism, checkShapes, checkStateRoundTrip } from './checks.js';
import { describeStrategyConformance } from './describe-conformance.js';
import { SimulatedGrowableModel } from './simulated-growable-model.js';
import { createForSimulation, simulatedModelOf, simulateSteps } from './simulated-trainer.js';

/** Grows one pair module every `every` steps (cycling over pairs and blocks), as MAMO's search would. */
function grower(options: { every: number }, attach = true) {
  return defineStrategy({
    id: 'grower',
    contractVersion: 1,
    family: 'architecture',
    paretoFront: false,
    packageName: 'mtl2r-strategy-grower',
    needs: { grads: 'shared', growsModel: true },
    options: z.object({ every: z.number().int().positive().default(options.every) }),
    create: (opts, ctx): Strategy => {
      let model: GrowableModel | undefined;
      let steps = 0;
      const strategy: Strategy = {
        needs: { grads: 'shared', growsModel: true },
        combine: () => {
          steps++;
          if (model === undefined) throw new Error('combine before attachModel');
          const slots: [number, number, number][] = [];
          for (let block = 0; block < model.blockCount; block++)
            for (let a = 0; a < ctx.taskCount; a++)
              for (let b = a + 1; b < ctx.taskCount; b++) slots.push([a, b, block]);
          const next = slots[model.pairModules().length];
          if (steps % opts.every === 0 && next !== undefined) model.addPairModule(...next);
          return { weights: new Array(ctx.taskCount).fill(1 / ctx.taskCount) };
        },
        state: () => ({ steps }),
        loadState: (state) => {
          steps = (state as { steps: number }).steps;
        },
        dispose: () => {},
      };
      if (attach) {
        strategy.attachModel = (m) => {
          model = m;
        };
      }
      return strategy;
    },
  });
}

describe('the testkit drives growing strategies through attachModel', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('attaches a simulated model before the first step and records its growth', async () => {
    const strategy = createForSimulation(grower({ every: 2 }), {
      taskCount: 3,
      parameterCount: 16,
      seed: 1,
    });
    const records = await simulateSteps(strategy, { taskCount: 3, parameterCount: 16, seed: 1 }, 0, 4);
    expect(records.map((r) => r.pairModules?.length)).toEqual([0, 1, 1, 2]);
    expect(simulatedModelOf(strategy)?.pairModules()).toEqual([
      { taskA: 0, taskB: 1, block: 0, parameters: 76 },
      { taskA: 0, taskB: 2, block: 0, parameters: 76 },
    ]);
    expect(simulatedModelOf(strategy)?.parameterCount()).toBe(2 * 12 * 64 + 2 * 76);
  });

  it('passes determinism and the resume round trip (model restored, then attachModel)', async () => {
    await checkShapes(grower({ every: 2 }), {}, 3);
    await checkDeterminism(grower({ every: 2 }), {});
    await checkStateRoundTrip(grower({ every: 2 }), {});
  });

  it('fails a growing plugin without attachModel, naming the rule', async () => {
    const attempt = checkShapes(grower({ every: 2 }, false), {}, 3);
    await expect(attempt).rejects.toThrow(
      'the plugin declares needs.growsModel but its strategy has no attachModel(model) method',
    );
  });

  it('refuses bad pair modules as the encoder would', () => {
    const model = new SimulatedGrowableModel(3);
    expect(() => model.addPairModule(1, 1, 0)).toThrow('tasks must be two different integers in [0, 3)');
    expect(() => model.addPairModule(0, 1, 2)).toThrow('block must be an integer in [0, 2)');
    model.addPairModule(1, 0, 1);
    expect(() => model.addPairModule(0, 1, 1)).toThrow('that module already exists');
    expect(ConformanceError).toBeDefined();
  });
});

describeStrategyConformance(grower({ every: 3 }), { options: { every: 3 }, validOptions: [{}] });

// Options are typed from the plugin's schema: tsc (the typecheck job) rejects a wrong type.
// @ts-expect-error `every` is a number in the grower's schema
describeStrategyConformance.bind(null, grower({ every: 3 }), { options: { every: 'often' } });
