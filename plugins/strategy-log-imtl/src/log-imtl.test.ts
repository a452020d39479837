import { selectBackend } from '@mtl2r/backend';
import { createCombineInput, createStrategy, type Strategy } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from './index.js';

describeStrategyConformance(plugin, {
  invalidOptions: [{ options: { epsilon: 1e-8 }, message: 'epsilon' }],
});

function create(taskCount: number): Strategy {
  return createStrategy(plugin, { taskNames: Array.from({ length: taskCount }, (_, i) => `task${i}`) });
}

async function weightsFor(rows: number[][], losses: number[], step = 0): Promise<number[]> {
  const grads = tf.tensor2d(rows);
  try {
    const input = createCombineInput({ step, epoch: 0, losses: Float32Array.from(losses), grads });
    return Array.from((await create(rows.length).combine(input)).weights);
  } finally {
    grads.dispose();
  }
}

describe('log_imtl', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('IMTL-G on g_i / L_i, mapped back as alpha_i / L_i', async () => {
    // g_0 = (1, 0), g_1 = (0, 2), L = [0.5, 4]: log-loss gradients (2, 0) and (0, 0.5), norms 2 and 0.5;
    // equal projections: 2 a = 0.5 (1 - a) -> a = 0.2, alpha = [0.2, 0.8]; w = [0.2 / 0.5, 0.8 / 4] = [0.4, 0.2].
    const weights = await weightsFor(
      [
        [1, 0],
        [0, 2],
      ],
      [0.5, 4],
    );
    expect(weights[0]).toBeCloseTo(0.4, 6);
    expect(weights[1]).toBeCloseTo(0.2, 6);
  });

  it("the direction is IMTL-G's (unit gradients do not change), the length follows the log-losses", async () => {
    // IMTL-G on g gives [2/3, 1/3] -> g = (2/3, 2/3); log_imtl above gives (0.4, 0.4): the same direction.
    const rows = [
      [1, 0],
      [0, 2],
    ];
    const [w0, w1] = (await weightsFor(rows, [0.5, 4])) as [number, number];
    expect(w0 * 1).toBeCloseTo(w1 * 2, 6);
  });

  it('declares positive losses and refuses a loss <= 0 with the task and step', async () => {
    expect(plugin.needs).toEqual({ grads: 'shared', positiveLosses: true });
    await expect(weightsFor([[1], [2]], [-1, 1], 5)).rejects.toThrow(
      "log_imtl: works on ln L_i and needs every loss > 0, but task 'task0' has loss -1 at step 5",
    );
  });
});
