import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@mtl2r/backend';
import { CONTRACT_VERSION, defineStrategy, Registry } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseTrainConfig } from './config.js';
import { NonFiniteError } from './non-finite-error.js';
import { smallConfig, writeMq2008Subset } from './test-support.js';
import { train } from './trainer.js';

let files: { train: string; vali: string; test: string };

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
  files = writeMq2008Subset(mkdtempSync(join(tmpdir(), 'mtl2r-step-data-')), { train: 8, vali: 4, test: 4 });
});

/**
 * A strategy with one trainable variable s (starting at 1) whose objective is `scale * exp(growth * s)`:
 * growth 1000 overflows the gradient at once; scale 1e30 with growth 1 gives a finite gradient whose
 * update overflows s itself under plain SGD at learning rate 1e10.
 */
const exploding = defineStrategy({
  id: 'exploding',
  contractVersion: CONTRACT_VERSION,
  family: 'weighting',
  paretoFront: false,
  needs: { grads: 'none' },
  options: z.strictObject({ growth: z.number(), scale: z.number() }),
  create(options, context) {
    const s = tf.variable(tf.ones([1]), true);
    return {
      needs: { grads: 'none' },
      combine: () => ({ weights: Array.from({ length: context.taskCount }, () => 1e-12) }),
      trainableVariables: () => [s],
      variableObjective: (losses) =>
        tf.tidy(
          () =>
            tf.add(
              tf.mul(options.scale, tf.sum(tf.exp(tf.mul(options.growth, s)))),
              tf.mul(0, tf.sum(losses)),
            ) as tf.Scalar,
        ),
      state: () => Array.from(s.dataSync()),
      loadState: (state) => s.assign(tf.tensor1d(state as number[])),
      dispose: () => s.dispose(),
    };
  },
});

async function trainWith(options: { growth: number; scale: number }, learningRate: number) {
  const runDir = join(mkdtempSync(join(tmpdir(), 'mtl2r-step-')), 'run');
  const config = parseTrainConfig(
    smallConfig(files, {
      strategy: { id: 'exploding', options },
      optimizer: { name: 'sgd', learningRate },
      training: { epochs: 1, batchSize: 4 },
    }),
  );
  const error = await train({ config, registry: new Registry().use(exploding), runDir }).catch((e) => e);
  return { error, runDir };
}

describe("a strategy's own variables take the model's non-finite path", () => {
  it('a non-finite gradient of them stops before the update, naming the strategy, with the gradient hint', async () => {
    const { error, runDir } = await trainWith({ growth: 1000, scale: 1 }, 0.01);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(error.message).toBe(
      "non-finite gradient of strategy 'exploding' variables at step 0: Infinity; training stopped before the update, no checkpoint was written for this step",
    );
    expect(error.hint).toMatch(/^set optimizer\.clipNorm/);
    expect(existsSync(join(runDir, 'checkpoints'))).toBe(false);
  });

  it('an update that makes them non-finite stops training before any checkpoint holds them', async () => {
    const { error, runDir } = await trainWith({ growth: 1, scale: 1e30 }, 1e10);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(error.message).toBe(
      "non-finite update of strategy 'exploding' variables at step 0: -Infinity; training stopped, no checkpoint was written for this step",
    );
    expect(existsSync(join(runDir, 'checkpoints'))).toBe(false);
  });
});
