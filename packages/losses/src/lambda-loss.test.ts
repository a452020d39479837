import { selectBackend } from '@mtl2r/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLossConformance } from './conformance.js';
import { LAMBDA_LOSS_WEIGHTINGS, type LambdaLossOptions, lambdaLoss } from './lambda-loss.js';
import { lossValue, lossValueAndGradient } from './loss-checks.js';

const create = (options: Partial<LambdaLossOptions> = {}) =>
  lambdaLoss.create(lambdaLoss.options.parse(options));

/*
 * Hand computation on scores [1, 0, 2], labels [2, 1, 0]:
 *   predicted ranks: item 2 -> 1, item 0 -> 2, item 1 -> 3; discounts 1/log2(1 + rank) = [0.630930, 0.5, 1].
 *   gains 2^y - 1 = [3, 1, 0]; ideal DCG = 3 + 1/log2(3) = 3.630930; G = gains / ideal = [0.826228, 0.275409, 0].
 *   pairs with y_i > y_j: (0,1) gap 1, (0,2) gap -1, (1,2) gap -2; -log2 sigmoid(gap) = softplus(-gap) / ln 2
 *     = [0.451946, 1.894733, 3.068453].
 *   lambdaRank weights |1/D_i - 1/D_j| |G_i - G_j|: (0,1) 0.130930 * 0.550819, (0,2) 0.369070 * 0.826228,
 *     (1,2) 0.5 * 0.275409.
 *   ndcgLoss2 weights delta(|r_i - r_j|) |G_i - G_j| with delta(1) = 1 - 1/log2(3) = 0.369070,
 *     delta(2) = 1/log2(3) - 1/2 = 0.130930: (0,1) 0.369070 * 0.550819, (0,2) 0.369070 * 0.826228,
 *     (1,2) 0.130930 * 0.275409.
 * The sums and means over the 3 pairs below were evaluated from these numbers.
 */
const tinyList = { scores: [[1, 0, 2]], labels: [[2, 1, 0]], mask: [[1, 1, 1]] };
const expectedMeans: Record<(typeof LAMBDA_LOSS_WEIGHTINGS)[number], number> = {
  lambdaRank: 0.3442976,
  ndcgLoss2: 0.260091,
  'ndcgLoss2++': 2.9452076, // 10 * ndcgLoss2 + lambdaRank
  rankNet: 1.8050286, // weights 1
  rankNetLabelDiff: 2.4365739, // weights [1, 2, 1]
  rankNetSquaredLabelDiff: 4.0009587, // weights [3, 4, 1]
  ndcgLoss1: 0.2850797, // over all 9 real pairs, weight G_i / D_i of the first item, diagonal included (as allRank)
};

describe('lambdaLoss', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  for (const weighting of LAMBDA_LOSS_WEIGHTINGS) {
    it(`'${weighting}' weighting matches the hand computation (mean over pairs)`, () => {
      expect(lossValue(create({ weighting }), tinyList)).toBeCloseTo(expectedMeans[weighting], 5);
    });
  }

  it("'sum' gives the list's pair sum; two lists average their sums", () => {
    const loss = create({ weighting: 'ndcgLoss2++', reduction: 'sum' });
    expect(lossValue(loss, tinyList)).toBeCloseTo(8.8356229, 4);
    const twoLists = {
      scores: [
        [1, 0, 2],
        [2, 0, 1],
      ],
      labels: [
        [2, 1, 0],
        [2, 1, 0],
      ],
      mask: [
        [1, 1, 1],
        [1, 1, 1],
      ],
    };
    const second = lossValue(loss, { scores: [[2, 0, 1]], labels: [[2, 1, 0]], mask: [[1, 1, 1]] });
    expect(lossValue(loss, twoLists)).toBeCloseTo((8.8356229 + second) / 2, 4);
  });

  it('k keeps only pairs whose predicted ranks are both <= k', () => {
    // k = 2: only items 2 (rank 1) and 0 (rank 2) remain, pair (0,2); ideal DCG@2 is unchanged (3.630930).
    // Weight 10 * 0.369070 * 0.826228 + 0.369070 * 0.826228, times 1.894733.
    expect(lossValue(create({ weighting: 'ndcgLoss2++', k: 2 }), tinyList)).toBeCloseTo(6.3552252, 4);
  });

  it('sigma scales the score gap', () => {
    // rankNet weights, sigma 2: mean of softplus(-2 gap) / ln 2 over gaps [1, -1, -2].
    const softplus = (x: number) => Math.log1p(Math.exp(x));
    const expected = (softplus(-2) + softplus(2) + softplus(4)) / 3 / Math.LN2;
    expect(lossValue(create({ weighting: 'rankNet', sigma: 2 }), tinyList)).toBeCloseTo(expected, 5);
  });

  it("reductionLog 'natural' takes ln instead of log2: the binary value times ln 2", () => {
    const natural = lossValue(create({ weighting: 'rankNet', reductionLog: 'natural' }), tinyList);
    expect(natural).toBeCloseTo(expectedMeans.rankNet * Math.LN2, 5);
  });

  it("compat 'allrank' caps a pair at -log2(1e-10) = 33.22 with zero gradient (rankNetSquaredLabelDiff)", () => {
    // Labels [4, 0], scores [0, 2]: gap -2, weight 16. sigmoid(-2)^16 = 1.66e-15 < 1e-10, so allRank clamps.
    // Default: 16 softplus(2) / ln 2 = 49.0945, still learning.
    const pair = { scores: [[0, 2]], labels: [[4, 0]], mask: [[1, 1]] };
    const weighting = 'rankNetSquaredLabelDiff' as const;
    const clamped = lossValueAndGradient(create({ weighting, compat: 'allrank' }), pair);
    expect(clamped.value).toBeCloseTo(-Math.log2(1e-10), 3);
    expect(clamped.gradient).toEqual([0, 0]);
    const exact = lossValueAndGradient(create({ weighting }), pair);
    expect(exact.value).toBeCloseTo((16 * Math.log1p(Math.exp(2))) / Math.LN2, 3);
    // d/ds_0 of 16 softplus(s_1 - s_0) / ln 2 = -16 sigmoid(2) / ln 2.
    expect(exact.gradient[0]).toBeCloseTo(-16 / (1 + Math.exp(-2)) / Math.LN2, 3);
    // The clamp starts at sigma * gap = logit(10^(-10/16)) = -1.1686: a gap of -1.1 still learns.
    const near = lossValueAndGradient(create({ weighting, compat: 'allrank' }), {
      ...pair,
      scores: [[0, 1.1]],
    });
    expect(near.gradient[0]).toBeLessThan(0);
  });

  it("compat 'allrank' with 'sum' is the plain sum over the batch (the default averages over lists)", () => {
    const twoLists = {
      scores: [
        [1, 0, 2],
        [1, 0, 2],
      ],
      labels: [
        [2, 1, 0],
        [2, 1, 0],
      ],
      mask: [
        [1, 1, 1],
        [1, 1, 1],
      ],
    };
    const options = { weighting: 'rankNet' as const, reduction: 'sum' as const };
    expect(lossValue(create(options), twoLists)).toBeCloseTo(3 * expectedMeans.rankNet, 4);
    expect(lossValue(create({ ...options, compat: 'allrank' }), twoLists)).toBeCloseTo(
      6 * expectedMeans.rankNet,
      4,
    );
  });

  it('option errors name the option', () => {
    const result = lambdaLoss.options.safeParse({ weighting: 'ndcg', sigma: 'x' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['sigma', 'weighting']);
  });

  for (const weighting of LAMBDA_LOSS_WEIGHTINGS) {
    describe(`weighting '${weighting}'`, () => {
      // ndcgLoss1 learns from every real pair, so tied lists with a relevant item still have a loss.
      checkLossConformance(() => create({ weighting }), weighting === 'ndcgLoss1' ? {} : { tiedValue: 0 });
    });
  }
  describe('ndcgLoss2++ with k = 2 and sum reduction', () => {
    checkLossConformance(() => create({ k: 2, reduction: 'sum' }), { tiedValue: 0 });
  });
});
