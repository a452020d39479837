import { selectBackend } from '@mtl2r/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLossConformance } from './conformance.js';
import { lossValue } from './loss-checks.js';
import { pointwiseBCELoss } from './pointwise-bce.js';

const create = (maxLabel = 1) => pointwiseBCELoss.create(pointwiseBCELoss.options.parse({ maxLabel }));
const softplus = (x: number) => Math.log1p(Math.exp(x));

describe('pointwiseBCE', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it("sums each list's BCE over real items and averages over lists", () => {
    // List 1: logit 0 with target 1: ln 2; logit 2 with target 0: softplus(2). List 2: logit -1, target 1: softplus(1).
    const value = lossValue(create(), {
      scores: [
        [0, 2],
        [-1, 8],
      ],
      labels: [
        [1, 0],
        [1, 1],
      ],
      mask: [
        [1, 1],
        [1, 0],
      ],
    });
    expect(value).toBeCloseTo((Math.LN2 + softplus(2) + softplus(1)) / 2, 5);
  });

  it('scales graded labels by maxLabel and clips them to [0, 1]', () => {
    // maxLabel 2: labels (1, 4) -> targets (0.5, 1): softplus(0) - 0, softplus(2) - 2.
    const value = lossValue(create(2), { scores: [[0, 2]], labels: [[1, 4]], mask: [[1, 1]] });
    expect(value).toBeCloseTo(Math.LN2 + softplus(2) - 2, 5);
  });

  checkLossConformance(() => create(3));
});
