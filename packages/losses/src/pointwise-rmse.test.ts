import { selectBackend } from '@mtl2r/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLossConformance } from './conformance.js';
import { lossValue, lossValueAndGradient } from './loss-checks.js';
import { type PointwiseRMSEOptions, pointwiseRMSELoss } from './pointwise-rmse.js';

const create = (options: Partial<PointwiseRMSEOptions> = {}) =>
  pointwiseRMSELoss.create(pointwiseRMSELoss.options.parse({ levels: 2, ...options }));

describe('pointwiseRMSE', () => {
  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
  });

  it('is the per-list RMSE between labels and levels * sigmoid(score), averaged over lists', () => {
    // List 1: predictions 2 * sigmoid(0) = (1, 1), labels (2, 0): errors (1, -1), RMSE 1.
    // List 2: prediction 2 * sigmoid(ln 3) = 1.5, label 1 (second item padded): RMSE 0.5.
    const value = lossValue(create(), {
      scores: [
        [0, 0],
        [Math.log(3), 4],
      ],
      labels: [
        [2, 0],
        [1, 2],
      ],
      mask: [
        [1, 1],
        [1, 0],
      ],
    });
    expect(value).toBeCloseTo(0.75, 6);
  });

  it("'identity' scales raw scores by levels", () => {
    // 2 * 0.25 = 0.5 vs label 1, 2 * 1 = 2 vs label 2: RMSE sqrt(0.25 / 2).
    expect(
      lossValue(create({ scoreTransform: 'identity' }), {
        scores: [[0.25, 1]],
        labels: [[1, 2]],
        mask: [[1, 1]],
      }),
    ).toBeCloseTo(Math.sqrt(0.125), 6);
  });

  it('a perfect fit gives 0 with a zero (not NaN) gradient, and the loss declares it can be <= 0', () => {
    const loss = create({ scoreTransform: 'identity' });
    expect(loss.canBeNonPositive).toBe(true);
    const { value, gradient } = lossValueAndGradient(loss, {
      scores: [[0.5, 0.25]],
      labels: [[1, 0.5]],
      mask: [[1, 1]],
    });
    expect(value).toBe(0);
    expect(gradient.every((g) => g === 0)).toBe(true);
  });

  it('requires levels', () => {
    expect(pointwiseRMSELoss.options.safeParse({}).success).toBe(false);
  });

  checkLossConformance(() => create({ levels: 3 }));
});
