import { selectBackend } from '@mtl2r/backend';
import { createCombineInput, createStrategy, type Strategy } from '@mtl2r/core';
import { describeStrategyConformance } from '@mtl2r/strategy-testkit';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from './index.js';

describeStrategyConformance(plugin, {
  invalidOptions: [
    { options: { compat: 'deepmtl2r' }, message: 'compat' },
    { options: { loss: true }, message: 'loss' },
  ],
});

function create(taskCount: number): Strategy {
  return createStrategy(plugin, { taskNames: Array.from({ length: taskCount }, (_, i) => `task${i}`) });
}

async function combine(rows: number[][]): Promise<{ weights: number[]; projection: number }> {
  const grads = tf.tensor2d(rows);
  try {
    const out = await create(rows.length).combine(
      createCombineInput({ step: 0, epoch: 0, losses: Float32Array.from(rows.map(() => 1)), grads }),
    );
    return { weights: Array.from(out.weights), projection: out.diagnostics?.projection as number };
  } finally {
    grads.dispose();
  }
}

describe('imtl', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('two orthogonal gradients of norms 1 and 2: alpha = [2/3, 1/3], equal projections 2/3', async () => {
    // g_0 = (1, 0), g_1 = (0, 2); g = a (1, 0) + (1 - a)(0, 2) projects a on u_0 and 2 (1 - a) on u_1:
    // a = 2 (1 - a) -> a = 2/3; the aggregate (2/3, 2/3) projects 2/3 on both unit gradients.
    const { weights, projection } = await combine([
      [1, 0],
      [0, 2],
    ]);
    expect(weights[0]).toBeCloseTo(2 / 3, 6);
    expect(weights[1]).toBeCloseTo(1 / 3, 6);
    expect(projection).toBeCloseTo(2 / 3, 6);
  });

  it('three tasks in the plane: the aggregate projects equally on every unit gradient (weights may be < 0)', async () => {
    const rows = [
      [3, 0],
      [0, 1],
      [1, 1],
    ];
    const { weights, projection } = await combine(rows);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const g = [0, 1].map((k) => weights.reduce((s, w, i) => s + w * (rows[i]?.[k] as number), 0));
    for (const row of rows) {
      const norm = Math.hypot(...row);
      expect(
        ((g[0] as number) * (row[0] as number) + (g[1] as number) * (row[1] as number)) / norm,
      ).toBeCloseTo(projection, 5);
    }
  });
});
