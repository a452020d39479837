import { selectBackend } from '@mtl2r/backend';
import { ConfigError, Rng, UserError } from '@mtl2r/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DropoutMasks } from './dropout.js';
import reference from './fixtures/reference-ranker.json' with { type: 'json' };
import { createRanker, type Ranker } from './ranker.js';
import { batch, disposeRankers, make, scoresOf, tiny } from './ranker-test-support.js';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});
afterEach(disposeRankers);

describe('createRanker', () => {
  it('has exactly 810,497 parameters with F = 132 and the reference defaults', () => {
    const ranker = make({ featureCount: 132, taskCount: 1 });
    expect(ranker.parameterCount()).toBe(810_497);
    expect(ranker.sharedLayout().size).toBe(810_497);
    // Per-task heads add one Linear(128 -> 1) per extra task.
    const perTask = make({ featureCount: 132, taskCount: 5, perTaskHeads: true });
    expect(perTask.parameterCount()).toBe(810_497 + 4 * 129);
    expect(perTask.sharedLayout().size).toBe(810_497 - 129);
    expect(perTask.taskVariables(3).map((v) => v.shape)).toEqual([[128, 1], [1]]);
  });

  it('names parameters stably and lays the shared ones out contiguously by block', () => {
    const ranker = make(tiny);
    const layout = ranker.sharedLayout();
    const names = layout.entries.map((e) => e.name);
    expect(names.slice(0, 4)).toEqual([
      'input.weight',
      'input.bias',
      'blocks.0.attn_norm.gamma',
      'blocks.0.attn_norm.beta',
    ]);
    expect(names).toContain('blocks.1.attn.q.weight');
    expect(names).toContain('blocks.1.ffn.output.bias');
    expect(names.slice(-4)).toEqual(['norm.gamma', 'norm.beta', 'heads.0.weight', 'heads.0.bias']);
    expect(layout.entries.map((e) => e.block)).toEqual([
      -1,
      -1,
      ...Array<number>(16).fill(0),
      ...Array<number>(16).fill(1),
      2,
      2,
      3,
      3,
    ]);
    let offset = 0;
    for (const entry of layout.entries) {
      expect(entry.offset).toBe(offset);
      expect(entry.size).toBe(entry.shape.reduce((a, b) => a * b, 1));
      offset += entry.size;
    }
    expect(layout.size).toBe(offset);
    // A shared head is shared: no task owns a variable.
    expect(ranker.taskVariables(0)).toEqual([]);
    expect(ranker.variables()).toEqual(ranker.sharedVariables());
  });

  it('initialises from the seed alone: same seed, same weights; another seed, other weights', () => {
    const values = (r: Ranker) => r.sharedVariables().map((v) => Array.from(v.dataSync()));
    expect(values(make(tiny, 9))).toEqual(values(make(tiny, 9)));
    expect(values(make(tiny, 9))).not.toEqual(values(make(tiny, 10)));
    const ranker = make(tiny, 9);
    const weights = ranker.weights();
    // LayerNorm starts at gamma 1, beta 0; Xavier bound for the input projection is sqrt(6 / (3 + 4)).
    expect(Array.from(weights['norm.gamma']?.dataSync() ?? [])).toEqual([1, 1, 1, 1]);
    expect(Array.from(weights['blocks.1.ffn_norm.beta']?.dataSync() ?? [])).toEqual([0, 0, 0, 0]);
    const bound = Math.sqrt(6 / 7);
    for (const v of weights['input.weight']?.dataSync() ?? []) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
  });

  it('validates the config with paths and the seed', () => {
    expect(() => createRanker({ featureCount: 3, taskCount: 1, modelDim: 6, heads: 4 }, 1)).toThrow(
      ConfigError,
    );
    expect(() => createRanker({ featureCount: 3, taskCount: 1, modelDim: 6, heads: 4 }, 1)).toThrow(
      /heads: modelDim must be divisible by heads/,
    );
    expect(() => createRanker(tiny, Number.NaN)).toThrow(
      'createRanker: seed must be a finite number or a string, got NaN',
    );
  });
});

describe('Ranker forward', () => {
  it('returns scores [B, L, H], a representation [B, L, d] and one output per block', () => {
    const shared = make(tiny);
    const perTask = make({ ...tiny, taskCount: 3, perTaskHeads: true });
    const { x, mask } = batch([4, 2], 4, 3);
    tf.tidy(() => {
      const features = tf.tensor3d(x);
      const m = tf.tensor2d(mask);
      expect(shared.apply(features, m).shape).toEqual([2, 4, 1]);
      expect(perTask.apply(features, m).shape).toEqual([2, 4, 3]);
      expect(shared.trunk(features, m).shape).toEqual([2, 4, 4]);
      const out = perTask.trunkWithBlocks(features, m, { training: true, dropoutSeed: 3 });
      expect(out.blockOutputs.map((b) => b.shape)).toEqual([
        [2, 4, 4],
        [2, 4, 4],
      ]);
      // apply = score(trunk) for the same dropout seed.
      const whole = perTask.apply(features, m, { training: true, dropoutSeed: 3 }).arraySync();
      expect(perTask.score(out.representation).arraySync()).toEqual(whole);
    });
  });

  it("a real item's score does not depend on padded items' features, in training mode too", () => {
    const ranker = make({ ...tiny, taskCount: 2, perTaskHeads: true });
    const { x, mask } = batch([3, 1, 4], 4, 3);
    const changed = x.map((list, b) =>
      list.map((item, i) => (mask[b]?.[i] === 1 ? item : item.map((v) => v * -37 + 11))),
    );
    for (const options of [{}, { training: true, dropoutSeed: 123 }]) {
      const before = scoresOf(ranker, x, mask, options);
      const after = scoresOf(ranker, changed, mask, options);
      mask.forEach((row, b) => {
        row.forEach((real, i) => {
          if (real === 1) expect(after[b]?.[i]).toEqual(before[b]?.[i]);
        });
      });
      // Sanity, so the test can fail: changing a real neighbour does change a real item's score.
      const neighbourChanged = changed.map((list, b) =>
        list.map((item, i) => (b === 0 && i === 1 ? item.map((v) => v + 1) : item)),
      );
      expect(scoresOf(ranker, neighbourChanged, mask, options)[0]?.[0]).not.toEqual(before[0]?.[0]);
    }
  });

  it('padded items holding NaN or Infinity do not reach real items', () => {
    const ranker = make(tiny);
    const { x, mask } = batch([2, 3], 4, 3);
    const before = scoresOf(ranker, x, mask);
    const poisoned = x.map((list, b) =>
      list.map((item, i) => (mask[b]?.[i] === 1 ? item : [Number.NaN, Number.POSITIVE_INFINITY, -1e30])),
    );
    const after = scoresOf(ranker, poisoned, mask);
    expect(after[0]?.slice(0, 2)).toEqual(before[0]?.slice(0, 2));
    expect(after[1]?.slice(0, 3)).toEqual(before[1]?.slice(0, 3));
    for (const score of after.flat(2)) expect(Number.isFinite(score)).toBe(true);
  });

  it('items attend only within their own list', () => {
    const ranker = make(tiny);
    const { x, mask } = batch([3, 4], 4, 3);
    const together = scoresOf(ranker, x, mask);
    const alone = scoresOf(ranker, [x[1] as number[][]], [mask[1] as number[]]);
    alone[0]?.forEach((score, i) => {
      expect(score[0]).toBeCloseTo(together[1]?.[i]?.[0] as number, 6);
    });
    // The padded fourth item of list 0 is invisible: the 3 real items alone score the same.
    const unpadded = scoresOf(ranker, [(x[0] as number[][]).slice(0, 3)], [[1, 1, 1]]);
    unpadded[0]?.forEach((score, i) => {
      expect(score[0]).toBeCloseTo(together[0]?.[i]?.[0] as number, 6);
    });
  });

  it('keeps a fully padded list finite', () => {
    const ranker = make({ ...tiny, layerNorm: 'allrank' });
    const { x, mask } = batch([0, 2], 3, 3);
    for (const score of scoresOf(ranker, x, mask, { training: true, dropoutSeed: 1 }).flat(2))
      expect(Number.isFinite(score)).toBe(true);
  });

  it('dropout: the same seed reproduces the scores, another seed changes them, evaluation ignores it', () => {
    const ranker = make(tiny);
    const { x, mask } = batch([4, 3], 4, 3);
    const a = scoresOf(ranker, x, mask, { training: true, dropoutSeed: 77 });
    expect(scoresOf(ranker, x, mask, { training: true, dropoutSeed: 77 })).toEqual(a);
    expect(scoresOf(ranker, x, mask, { training: true, dropoutSeed: 78 })).not.toEqual(a);
    const evaluation = scoresOf(ranker, x, mask);
    expect(evaluation).not.toEqual(a);
    expect(scoresOf(ranker, x, mask, { training: false, dropoutSeed: 5 })).toEqual(evaluation);
    // Without dropout, training mode is evaluation mode.
    const noDropout = make({ ...tiny, dropout: 0 }, 1);
    expect(scoresOf(noDropout, x, mask, { training: true, dropoutSeed: 5 })).toEqual(
      scoresOf(noDropout, x, mask),
    );
  });

  it('shared cached masks give the same scores as the same dropoutSeed; a wrong rate is refused', () => {
    const ranker = make(tiny);
    const { x, mask } = batch([4, 3], 4, 3);
    const masks = new DropoutMasks(77, 0.3, { cache: true });
    const bySeed = scoresOf(ranker, x, mask, { training: true, dropoutSeed: 77 });
    expect(scoresOf(ranker, x, mask, { training: true, dropoutMasks: masks })).toEqual(bySeed);
    expect(scoresOf(ranker, x, mask, { training: true, dropoutMasks: masks })).toEqual(bySeed);
    expect(() =>
      scoresOf(ranker, x, mask, { training: true, dropoutMasks: new DropoutMasks(1, 0.5) }),
    ).toThrow("ranker forward: dropoutMasks has rate 0.5, but the ranker's dropout is 0.3");
  });

  it('the layerNorm option changes the numbers', () => {
    const { x, mask } = batch([4], 4, 3);
    const standard = scoresOf(make({ ...tiny, layerNorm: 'standard' }, 4), x, mask);
    const allrank = scoresOf(make({ ...tiny, layerNorm: 'allrank' }, 4), x, mask);
    expect(allrank).not.toEqual(standard);
  });

  it('rejects inputs of the wrong shape, saying what was expected', () => {
    const ranker = make(tiny);
    tf.tidy(() => {
      expect(() => ranker.apply(tf.zeros([2, 4, 5]) as tf.Tensor3D, tf.ones([2, 4]) as tf.Tensor2D)).toThrow(
        'ranker input: features must have shape [lists, items, 3], got [2, 4, 5]',
      );
      expect(() => ranker.apply(tf.zeros([2, 4, 3]) as tf.Tensor3D, tf.ones([2, 3]) as tf.Tensor2D)).toThrow(
        'ranker input: mask must have shape [2, 4] (lists, items) to match the features, got [2, 3]',
      );
      expect(() => ranker.score(tf.zeros([2, 4, 5]) as tf.Tensor3D)).toThrow(
        'ranker.score: representation must have shape [lists, items, 4], got [2, 4, 5]',
      );
    });
    ranker.dispose();
    expect(() => ranker.parameterCount()).not.toThrow();
    expect(() =>
      tf.tidy(() => ranker.apply(tf.zeros([1, 1, 3]) as tf.Tensor3D, tf.ones([1, 1]) as tf.Tensor2D)),
    ).toThrow(UserError);
  });

  it('leaves tf.memory().numTensors flat across forward and gradient steps', () => {
    const ranker = make({ ...tiny, taskCount: 2, perTaskHeads: true });
    ranker.addPairModule(0, 1, 1);
    const { x, mask } = batch([4, 2], 4, 3);
    const features = tf.tensor3d(x);
    const m = tf.tensor2d(mask);
    const step = (seed: number) => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(ranker.apply(features, m, { training: true, dropoutSeed: seed })) as tf.Scalar,
        ranker.variables(),
      );
      value.dispose();
      tf.dispose(grads);
      tf.tidy(() => {
        const out = ranker.trunkWithBlocks(features, m);
        ranker.score(out.representation, out.blockOutputs);
      });
    };
    step(0);
    const before = tf.memory().numTensors;
    for (let s = 1; s <= 3; s++) step(s);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([features, m]);
  });
});

describe('Ranker gradients', () => {
  /**
   * Checks tf's gradient of a weighted sum of scores against central finite differences for every
   * parameter of a tiny model. float32 limits the agreement, hence a relative tolerance.
   */
  function checkGradients(ranker: Ranker, lengths: number[], training: boolean): void {
    const { x, mask } = batch(lengths, 4, 3, 11);
    const features = tf.tensor3d(x);
    const m = tf.tensor2d(mask);
    const outputs = ranker.outputCount;
    const rng = new Rng('loss weights');
    const lossWeights = tf.tensor3d(
      mask.map((row) =>
        row.map((real) => Array.from({ length: outputs }, () => real * (2 * rng.float() - 1))),
      ),
    );
    const options = { training, dropoutSeed: 99 };
    const loss = () =>
      tf.tidy(() => tf.sum(tf.mul(ranker.apply(features, m, options), lossWeights)) as tf.Scalar);
    const { value, grads } = tf.variableGrads(loss, ranker.variables());
    value.dispose();
    const step = 2e-3;
    let checked = 0;
    let worst = 0;
    for (const { name, variable } of ranker.namedVariables()) {
      const analytic = grads[variable.name]?.dataSync() ?? new Float32Array(variable.size);
      const original = variable.dataSync().slice();
      for (let i = 0; i < variable.size; i++) {
        const probe = (delta: number) => {
          const values = original.slice();
          values[i] = (values[i] as number) + delta;
          tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
          const result = loss();
          const out = result.dataSync()[0] as number;
          result.dispose();
          return out;
        };
        const numeric = (probe(step) - probe(-step)) / (2 * step);
        tf.tidy(() => variable.assign(tf.tensor(original, variable.shape)));
        const exact = analytic[i] as number;
        const error = Math.abs(exact - numeric) / (Math.max(Math.abs(exact), Math.abs(numeric)) + 1e-2);
        if (error > 2e-2)
          throw new Error(`${name}[${i}]: tf gradient ${exact}, finite difference ${numeric}`);
        worst = Math.max(worst, error);
        checked++;
      }
    }
    expect(checked).toBe(ranker.parameterCount());
    expect(worst).toBeLessThan(2e-2);
    tf.dispose([features, m, lossWeights, grads]);
  }

  it('standard LayerNorm, shared head, with dropout: tf gradients match finite differences', () => {
    checkGradients(make(tiny, 21), [4, 2], true);
  });

  it('allrank LayerNorm, per-task heads and pair modules: tf gradients match finite differences', () => {
    const ranker = make(
      { ...tiny, layerNorm: 'allrank', taskCount: 3, perTaskHeads: true, pairModuleDim: 2 },
      22,
    );
    ranker.addPairModule(0, 2, 0);
    ranker.addPairModule(2, 0, 1);
    // Move the fusion weights off 0 so the modules' own parameters get gradients.
    for (const { name, variable } of ranker.namedVariables()) {
      if (name.includes('.fusion.')) variable.assign(tf.scalar(0.7));
    }
    checkGradients(ranker, [3, 4], false);
  });
});

describe('Ranker vs the PyTorch reference (scripts/reference-ranker.py, float64)', () => {
  for (const kind of ['standard', 'allrank'] as const) {
    it(`${kind} LayerNorm: scores and gradients match`, () => {
      const ranker = make({ ...reference.config, dropout: 0, layerNorm: kind });
      tf.tidy(() => {
        const values: Record<string, tf.Tensor> = {};
        for (const [name, { shape, values: data }] of Object.entries(reference.weights))
          values[name] = tf.tensor(data, shape);
        ranker.setWeights(values, 'reference-ranker.json');
      });
      const features = tf.tensor3d(reference.features);
      const mask = tf.tensor2d(reference.mask);
      const lossWeights = tf.tensor3d(reference.lossWeights);
      const expected = reference.cases[kind];
      const scores = tf.tidy(() => ranker.apply(features, mask).arraySync());
      reference.mask.forEach((row, b) => {
        row.forEach((real, i) => {
          if (real === 0) return;
          scores[b]?.[i]?.forEach((v, t) => {
            expect(v).toBeCloseTo(expected.scores[b]?.[i]?.[t] as number, 5);
          });
        });
      });
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(ranker.apply(features, mask), lossWeights)) as tf.Scalar,
        ranker.variables(),
      );
      const gradients = expected.gradients as Record<string, number[]>;
      for (const { name, variable } of ranker.namedVariables()) {
        const actual = grads[variable.name]?.dataSync() ?? [];
        const want = gradients[name] ?? [];
        expect(actual.length, name).toBe(want.length);
        const scale = Math.max(1e-3, ...want.map(Math.abs));
        actual.forEach((v, i) => {
          expect(Math.abs(v - (want[i] as number)) / scale, `${name}[${i}]`).toBeLessThan(1e-4);
        });
      }
      tf.dispose([value, grads, features, mask, lossWeights]);
    });
  }
});
