import { selectBackend } from '@mtl2r/backend';
import {
  CONTRACT_VERSION,
  type Json,
  Rng,
  type Strategy,
  type StrategyContext,
  type StrategyPlugin,
} from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConformanceError,
  checkDeterminism,
  checkDispose,
  checkNoLeaks,
  checkOptions,
  checkShapes,
  checkStateRoundTrip,
  checkWeightsSumToOne,
} from './checks.js';

const options = z.object({ temperature: z.number().positive().default(1) });
type Options = z.infer<typeof options>;

/**
 * A well-behaved plugin: softmax of loss / temperature, plus random jitter from its own Rng, an
 * exponential moving average kept in a tf.Variable and a direction tensor. Each "broken" plugin below
 * changes one thing.
 */
function wellBehaved(ctx: StrategyContext, opts: Options): Strategy & { ema: tf.Variable } {
  let rng = ctx.rng;
  const initial = tf.ones([ctx.taskCount]);
  const ema = tf.variable(initial);
  initial.dispose();
  let disposed = false;
  return {
    ema,
    needs: { grads: 'shared' },
    combine({ losses, grads }) {
      const jitter = Array.from(losses, () => 0.01 * rng.float());
      const logits = Array.from(losses, (l, i) => l / opts.temperature + jitter[i]!);
      const max = Math.max(...logits);
      const exp = logits.map((v) => Math.exp(v - max));
      const sum = exp.reduce((a, b) => a + b, 0);
      tf.tidy(() => ema.assign(ema.mul(0.9).add(tf.tensor1d(losses).mul(0.1))));
      const weights = exp.map((v) => v / sum);
      const direction = tf.tidy(() => tf.matMul(tf.tensor2d([weights]), grads!).reshape([-1]) as tf.Tensor1D);
      return { weights, direction };
    },
    state: (): Json => ({ rng: rng.state().s, ema: Array.from(ema.dataSync()) }),
    loadState(state) {
      const s = state as { rng: [number, number, number, number]; ema: number[] };
      rng = Rng.fromState({ s: s.rng });
      ema.assign(tf.tensor1d(s.ema));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      ema.dispose();
    },
  };
}

function plugin(
  id: string,
  create: (opts: Options, ctx: StrategyContext) => Strategy,
  extra: Partial<StrategyPlugin<Options>> = {},
): StrategyPlugin<Options> {
  return {
    id,
    contractVersion: CONTRACT_VERSION,
    family: 'gradient',
    paretoFront: false,
    needs: { grads: 'shared' },
    weightsSumToOne: true,
    options,
    create,
    ...extra,
  };
}

const good = plugin('good', (opts, ctx) => wellBehaved(ctx, opts));
const cases = { invalidOptions: [{ options: { temperature: 0 }, message: 'strategy.options.temperature' }] };

async function failure(check: () => Promise<void> | void): Promise<string> {
  try {
    await check();
  } catch (error) {
    expect(error).toBeInstanceOf(ConformanceError);
    return (error as Error).message;
  }
  throw new Error('the check passed but should have failed');
}

describe('strategy-testkit checks', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('a well-behaved plugin passes every check', async () => {
    checkOptions(good as StrategyPlugin<unknown>, cases);
    for (const k of [2, 3, 4, 5]) {
      await checkShapes(good as StrategyPlugin<unknown>, cases, k);
      await checkWeightsSumToOne(good as StrategyPlugin<unknown>, cases, k);
    }
    await checkDeterminism(good as StrategyPlugin<unknown>, cases);
    await checkNoLeaks(good as StrategyPlugin<unknown>, cases);
    await checkStateRoundTrip(good as StrategyPlugin<unknown>, cases);
    await checkDispose(good as StrategyPlugin<unknown>, cases);
  });

  it('catches a plugin that leaks a tensor per step', async () => {
    const leaky = plugin('leaky', (opts, ctx) => {
      const inner = wellBehaved(ctx, opts);
      return {
        ...inner,
        combine: (input) => {
          tf.scalar(1); // allocated and never disposed
          return inner.combine(input);
        },
      };
    });
    const message = await failure(() => checkNoLeaks(leaky as StrategyPlugin<unknown>, cases));
    const [, from, to] =
      /^leaks tensors: tf\.memory\(\)\.numTensors went from (\d+) to (\d+) over 100 steps$/.exec(message) ??
      [];
    expect(Number(to) - Number(from)).toBe(100);
  });

  it('catches a plugin that returns NaN', async () => {
    const nan = plugin('nan', (opts, ctx) => {
      const inner = wellBehaved(ctx, opts);
      return {
        ...inner,
        combine: (input) => {
          const out = inner.combine(input) as { weights: number[]; direction: tf.Tensor1D };
          return input.step === 4
            ? { ...out, weights: out.weights.map((w, i) => (i === 1 ? Number.NaN : w)) }
            : out;
        },
      };
    });
    expect(await failure(() => checkShapes(nan as StrategyPlugin<unknown>, cases, 3))).toBe(
      "step 4: strategy 'nan' broke the strategy contract at combine: weights[1] is NaN, expected a finite number",
    );
  });

  it('catches a non-deterministic plugin', async () => {
    const random = plugin('random', (opts, ctx) => {
      const inner = wellBehaved(ctx, opts);
      return {
        ...inner,
        combine: (input) => {
          const out = inner.combine(input) as { weights: number[]; direction: tf.Tensor1D };
          const noise = Math.random() * 1e-3;
          return { ...out, weights: out.weights.map((w, i) => (i === 0 ? w + noise : w - noise)) };
        },
      };
    });
    expect(await failure(() => checkDeterminism(random as StrategyPlugin<unknown>, cases))).toMatch(
      /^same seed, same inputs, different outputs: step 0: weights/,
    );
  });

  it('catches a plugin whose state() forgets something', async () => {
    const forgetful = plugin('forgetful', (opts, ctx) => {
      const inner = wellBehaved(ctx, opts);
      return {
        ...inner,
        state: () => ({ rng: (inner.state() as { rng: Json }).rng, ema: [] }),
        loadState: () => {},
      };
    });
    expect(await failure(() => checkStateRoundTrip(forgetful as StrategyPlugin<unknown>, cases))).toMatch(
      /^after loadState\(state\(\)\) the next steps differ: step 9/,
    );
  });

  it('catches a plugin whose dispose() keeps its variables', async () => {
    const hoarder = plugin('hoarder', (opts, ctx) => ({ ...wellBehaved(ctx, opts), dispose: () => {} }));
    expect(await failure(() => checkDispose(hoarder as StrategyPlugin<unknown>, cases))).toMatch(
      /^dispose\(\) left 1 tensors allocated/,
    );
  });

  it('catches wrong shapes and weights that do not sum to 1', async () => {
    const short = plugin('short', (opts, ctx) => {
      const inner = wellBehaved(ctx, opts);
      return { ...inner, combine: (input) => ({ ...(inner.combine(input) as object), weights: [1] }) };
    });
    expect(await failure(() => checkShapes(short as StrategyPlugin<unknown>, cases, 4))).toBe(
      "step 0: strategy 'short' broke the strategy contract at combine: returned 1 weights for 4 tasks",
    );
    const unnormalised = plugin('unnormalised', (opts, ctx) => {
      const inner = wellBehaved(ctx, opts);
      return {
        ...inner,
        combine: (input) => {
          const out = inner.combine(input) as { weights: number[]; direction: tf.Tensor1D };
          return { ...out, weights: out.weights.map((w) => w * 2) };
        },
      };
    });
    expect(
      await failure(() => checkWeightsSumToOne(unnormalised as StrategyPlugin<unknown>, cases, 2)),
    ).toMatch(/should be >= 0 and sum to 1 \(sum (2|1\.99999)/);
  });

  it('catches options that accept bad values or reject defaults', async () => {
    const lax = plugin('lax', (opts, ctx) => wellBehaved(ctx, opts), {
      options: z.object({ temperature: z.number().default(1) }) as never,
    });
    expect(await failure(() => checkOptions(lax as StrategyPlugin<unknown>, cases))).toBe(
      'options {"temperature":0} should be rejected with a message but were accepted',
    );
    const strict = plugin('strict', (opts, ctx) => wellBehaved(ctx, opts), {
      options: z.object({ temperature: z.number() }) as never,
    });
    expect(await failure(() => checkOptions(strict as StrategyPlugin<unknown>, cases))).toMatch(
      /^options \{\} should be valid but were rejected/,
    );
  });
});
