import { selectBackend } from '@mtl2r/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLossConformance } from './conformance.js';
import { lossValue } from './loss-checks.js';
import { type NeuralNDCGOptions, neuralNDCGLoss } from './neural-ndcg.js';

const create = (options: Partial<NeuralNDCGOptions> = {}) =>
  neuralNDCGLoss.create(neuralNDCGLoss.options.parse(options));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('neuralNDCG', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('on two items is minus the NDCG of the soft permutation [[sigmoid(a-b), sigmoid(b-a)], [sigmoid(b-a), sigmoid(a-b)]]', () => {
    // NeuralSort on (a, b): row 1 = softmax([a, b] - |a - b|), row 2 = softmax(-[a, b] - |a - b|), already
    // doubly stochastic. Scores (1, 0), labels (1, 0): gain at rank 1 = sigmoid(1), at rank 2 = sigmoid(-1);
    // DCG = sigmoid(1) + sigmoid(-1) / log2(3) = 0.900742; ideal DCG 1.
    const expected = -(sigmoid(1) + sigmoid(-1) / Math.log2(3));
    expect(expected).toBeCloseTo(-0.900742, 5);
    expect(lossValue(create(), { scores: [[1, 0]], labels: [[1, 0]], mask: [[1, 1]] })).toBeCloseTo(
      expected,
      5,
    );
  });

  it('linear gain and k change the two-item value as computed by hand', () => {
    // Labels (2, 1), linear gains (2, 1): DCG = 2 sigmoid(1) + sigmoid(-1) + (2 sigmoid(-1) + sigmoid(1)) / log2(3);
    // ideal = 2 + 1 / log2(3).
    const linear =
      -(2 * sigmoid(1) + sigmoid(-1) + (2 * sigmoid(-1) + sigmoid(1)) / Math.log2(3)) /
      (2 + 1 / Math.log2(3));
    expect(
      lossValue(create({ gain: 'linear' }), { scores: [[1, 0]], labels: [[2, 1]], mask: [[1, 1]] }),
    ).toBeCloseTo(linear, 5);
    // k = 1: only rank 1 counts; exponential gains (3, 1): (3 sigmoid(1) + sigmoid(-1)) / 3.
    const atOne = -(3 * sigmoid(1) + sigmoid(-1)) / 3;
    expect(lossValue(create({ k: 1 }), { scores: [[1, 0]], labels: [[2, 1]], mask: [[1, 1]] })).toBeCloseTo(
      atOne,
      5,
    );
  });

  it('approaches minus the true NDCG at a low temperature', () => {
    // Ranking by score: item 2, item 0, item 1 with labels [2, 1, 0]: NDCG (3/log2(3) + 1/2) / (3 + 1/log2(3)).
    const value = lossValue(create({ temperature: 0.01 }), {
      scores: [[1, 0, 2]],
      labels: [[2, 1, 0]],
      mask: [[1, 1, 1]],
    });
    expect(value).toBeCloseTo(-0.659002, 4);
  });

  it('declares that it can be <= 0', () => {
    expect(create().canBeNonPositive).toBe(true);
  });

  checkLossConformance(() => create(), { gradientTolerance: 3e-3 });
  describe('with k = 2 and linear gains', () => {
    checkLossConformance(() => create({ k: 2, gain: 'linear' }), { gradientTolerance: 3e-3 });
  });
});
