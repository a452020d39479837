import { selectBackend } from '@mtl2r/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLossConformance } from './conformance.js';
import { lossValue } from './loss-checks.js';
import { type RankNetOptions, rankNetLoss } from './rank-net.js';

const create = (options: Partial<RankNetOptions> = {}) =>
  rankNetLoss.create(rankNetLoss.options.parse(options));
const softplus = (x: number) => Math.log1p(Math.exp(x));

// Scores [1, 0, 2], labels [2, 1, 0]: pairs (0,1) gap 1, (0,2) gap -1, (1,2) gap -2; per pair softplus(-gap).
const tinyList = { scores: [[1, 0, 2]], labels: [[2, 1, 0]], mask: [[1, 1, 1]] };

describe('rankNet', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('averages log(1 + exp(-(s_i - s_j))) over the pairs with y_i > y_j', () => {
    const expected = (softplus(-1) + softplus(1) + softplus(2)) / 3; // 1.251150
    expect(lossValue(create(), tinyList)).toBeCloseTo(expected, 5);
    expect(expected).toBeCloseTo(1.25115, 5);
  });

  it('weights pairs by |y_i - y_j| or |y_i^2 - y_j^2|, still dividing by the pair count', () => {
    expect(lossValue(create({ weighting: 'labelDiff' }), tinyList)).toBeCloseTo(
      (softplus(-1) + 2 * softplus(1) + softplus(2)) / 3,
      5,
    );
    expect(lossValue(create({ weighting: 'squaredLabelDiff' }), tinyList)).toBeCloseTo(
      (3 * softplus(-1) + 4 * softplus(1) + softplus(2)) / 3,
      5,
    );
  });

  it("'sum' sums each list's pairs and averages over lists with a pair; sigma scales the gap", () => {
    const batch = {
      scores: [
        [1, 0, 2],
        [0, 0, 0],
      ],
      labels: [
        [2, 1, 0],
        [1, 1, 1],
      ],
      mask: [
        [1, 1, 1],
        [1, 1, 1],
      ],
    };
    expect(lossValue(create({ reduction: 'sum' }), batch)).toBeCloseTo(
      softplus(-1) + softplus(1) + softplus(2),
      5,
    );
    expect(lossValue(create({ sigma: 2 }), tinyList)).toBeCloseTo(
      (softplus(-2) + softplus(2) + softplus(4)) / 3,
      5,
    );
  });

  checkLossConformance(() => create(), { tiedValue: 0 });
  describe('weighted by label difference, summed', () => {
    checkLossConformance(() => create({ weighting: 'squaredLabelDiff', reduction: 'sum' }), { tiedValue: 0 });
  });
});
